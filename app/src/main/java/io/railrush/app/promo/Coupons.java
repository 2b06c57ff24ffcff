package io.railrush.app.promo;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.core.retry.RetryTemplate;
import org.springframework.modulith.NamedInterface;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What a grab asks of promotions: may this user use this coupon, and hold it for this order. The
 * check comes before the grab spends the user's attempt; the reservation is the conditional update
 * that decides between two grabs naming one coupon.
 */
@NamedInterface("api")
@Service
public class Coupons {

  /** The answer to "may this user use this coupon now". */
  @NamedInterface("api")
  public sealed interface Check {}

  /** Usable: it takes this much off the fare. */
  @NamedInterface("api")
  public record Usable(String couponId, long amountOffCents) implements Check {}

  /** Unknown, or another user's (the two are not told apart). */
  @NamedInterface("api")
  public record Unknown(String couponId) implements Check {}

  /** The user's, but RESERVED by another order or USED. */
  @NamedInterface("api")
  public record Unavailable(String couponId, CouponStatus status) implements Check {}

  /**
   * InnoDB may choose a reservation as a deadlock victim (its outbox insert waiting for a gap that
   * another transaction's locking read holds; seen in MariaDbClusterPromoTest's 200 parallel
   * grabs): the whole transaction rolled back (SQLSTATE class 40), so it runs again rather than
   * turning a grab into 503 BUSY. A lock wait that timed out is not retried: it has already held
   * the request long.
   */
  private static final RetryTemplate DEADLOCK_VICTIMS =
      new RetryTemplate(
          RetryPolicy.builder()
              .predicate(Coupons::rolledBackWhole)
              .maxRetries(3)
              .delay(Duration.ofMillis(10))
              .jitter(Duration.ofMillis(10))
              .build());

  private static boolean rolledBackWhole(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof SQLException sql
          && sql.getSQLState() != null
          && sql.getSQLState().startsWith("40")) {
        return true;
      }
    }
    return false;
  }

  private final CouponRepository coupons;
  private final TransactionTemplate transactions;
  private final ApplicationEventPublisher events;
  private final Clock clock;

  Coupons(
      CouponRepository coupons,
      TransactionTemplate transactions,
      ApplicationEventPublisher events,
      Clock clock) {
    this.coupons = coupons;
    this.transactions = transactions;
    this.events = events;
    this.clock = clock;
  }

  public Check check(String couponId, String userId) {
    return coupons
        .find(couponId)
        .filter(c -> c.userId().equals(userId))
        .<Check>map(
            c ->
                c.status() == CouponStatus.AVAILABLE
                    ? new Usable(c.couponId(), c.amountOffCents())
                    : new Unavailable(c.couponId(), c.status()))
        .orElse(new Unknown(couponId));
  }

  /**
   * Holds it for the order, announcing {@link CouponReserved} in the same transaction; false when
   * another grab got it first (or it is no longer usable).
   */
  public boolean reserve(String couponId, String userId, String orderNo) {
    return DEADLOCK_VICTIMS.invoke(
        () ->
            Boolean.TRUE.equals(
                transactions.execute(
                    tx -> {
                      boolean reserved = coupons.reserve(couponId, userId, orderNo, clock.millis());
                      if (reserved) {
                        events.publishEvent(new CouponReserved(couponId, userId, orderNo));
                      }
                      return reserved;
                    })));
  }

  /** Gives it back: the grab that reserved it did not become an order. */
  public void release(String couponId, String orderNo) {
    coupons.release(couponId, orderNo, clock.millis());
  }

  /** A coupon RESERVED by an order number since {@code reservedAtMs}. */
  @NamedInterface("api")
  public record Held(String couponId, String orderNo, long reservedAtMs) {}

  /**
   * Coupons RESERVED since before {@code before}, oldest first, continuing after {@code after}
   * (null: from the oldest): a grab reserves one just before its seat is handed on, so one held
   * this long belongs to an order or to a grab that never became one.
   */
  public List<Held> heldSince(Instant before, Held after, int limit) {
    return coupons.reservedBefore(before.toEpochMilli(), after, limit);
  }

  /**
   * Gives back whatever {@code orderNo} holds, when only the order number is known: its grab never
   * reached the order writer, so no order event will ever release it.
   */
  public void releaseHeldBy(String orderNo) {
    coupons.releaseAllOf(orderNo, clock.millis());
  }
}
