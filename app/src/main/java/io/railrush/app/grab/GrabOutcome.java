package io.railrush.app.grab;

import java.time.Duration;

/** The answer to one grab, before it becomes HTTP (and what an Idempotency-Key replays). */
public record GrabOutcome(
    Kind kind, String orderNo, String status, Duration retryAfter, String detail) {

  public enum Kind {
    ACCEPTED("accepted"),
    SOLD_OUT("sold_out"),
    ALREADY_HOLDING("already_holding"),
    RATE_LIMITED("rate_limited"),
    BUSY("busy"),
    COUPON_TAKEN("coupon_taken");

    final String metric;

    Kind(String metric) {
      this.metric = metric;
    }
  }

  public static GrabOutcome accepted(String orderNo, String status) {
    return new GrabOutcome(Kind.ACCEPTED, orderNo, status, null, null);
  }

  public static GrabOutcome soldOut() {
    return new GrabOutcome(Kind.SOLD_OUT, null, null, null, "no seats left on this run");
  }

  public static GrabOutcome alreadyHolding(String orderNo) {
    return new GrabOutcome(
        Kind.ALREADY_HOLDING,
        orderNo,
        null,
        null,
        "you already hold order " + orderNo + " on this run");
  }

  public static GrabOutcome rateLimited(Duration retryAfter, String detail) {
    return new GrabOutcome(Kind.RATE_LIMITED, null, null, retryAfter, detail);
  }

  /** Another grab reserved the coupon between this grab's check and its reservation. */
  public static GrabOutcome couponTaken(String couponId) {
    return new GrabOutcome(
        Kind.COUPON_TAKEN, null, null, null, "coupon " + couponId + " is held by another order");
  }

  public static GrabOutcome busy(String detail) {
    return new GrabOutcome(Kind.BUSY, null, null, Duration.ofSeconds(1), detail);
  }

  /** Answers that stay true for a retry with the same Idempotency-Key; limits and BUSY do not. */
  boolean isFinal() {
    return kind == Kind.ACCEPTED || kind == Kind.SOLD_OUT || kind == Kind.ALREADY_HOLDING;
  }
}
