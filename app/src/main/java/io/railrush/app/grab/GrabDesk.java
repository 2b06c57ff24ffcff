package io.railrush.app.grab;

import io.railrush.app.catalog.RunCatalog;
import io.railrush.app.catalog.RunForSale;
import io.railrush.app.promo.Coupons;
import io.railrush.app.web.ApiException;
import io.railrush.app.web.ErrorCode;
import io.railrush.app.web.Problems;
import java.net.URI;
import java.time.Clock;
import java.util.Map;
import java.util.regex.Pattern;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;

/**
 * {@code POST /api/v1/runs/{runId}/grabs} from a parsed request to its answer, whichever HTTP path
 * parsed it: Spring MVC's {@link GrabController} or the lean {@link LeanGrabFilter}.
 */
@Component
class GrabDesk {

  static final String PATH_PATTERN = "/api/v1/runs/{runId}/grabs";

  static final String COUPON_ID_REGEX = "[A-Za-z0-9_.-]{1,64}";
  static final String COUPON_ID_MESSAGE = "must be 1-64 characters of [A-Za-z0-9_.-]";

  private static final Pattern IDEMPOTENCY_KEY = Pattern.compile("[A-Za-z0-9_.:-]{1,64}");

  private final RunCatalog catalog;
  private final GrabService grabs;
  private final IdempotentGrabs idempotency;
  private final Coupons coupons;
  private final Clock clock;

  GrabDesk(
      RunCatalog catalog,
      GrabService grabs,
      IdempotentGrabs idempotency,
      Coupons coupons,
      Clock clock) {
    this.catalog = catalog;
    this.grabs = grabs;
    this.idempotency = idempotency;
    this.coupons = coupons;
    this.clock = clock;
  }

  record Accepted(String orderNo, String status) {}

  /**
   * The answer to one grab: 202 or a refusal. An {@link ApiException} is thrown only before
   * anything changed (bad key, unknown run, not on sale, unusable coupon).
   */
  ResponseEntity<?> grab(String userId, String runId, String idempotencyKey, String couponId) {
    if (idempotencyKey != null && !IDEMPOTENCY_KEY.matcher(idempotencyKey).matches()) {
      throw ApiException.badRequest("Idempotency-Key must be 1-64 characters of [A-Za-z0-9_.:-]");
    }
    RunForSale run = catalog.forSale(runId);
    if (!run.onSaleAt(clock.instant())) {
      grabs.countNotOnSale();
      throw new ApiException(
          ErrorCode.NOT_ON_SALE,
          "sale opens at " + run.saleOpensAt(),
          null,
          Map.of("saleOpensAt", run.saleOpensAt().toString()));
    }
    GrabOutcome outcome =
        idempotencyKey == null
            ? grabs.grab(userId, run, usableCoupon(couponId, userId))
            : idempotency.answer(
                userId,
                idempotencyKey,
                () -> grabs.grab(userId, run, usableCoupon(couponId, userId)));
    return answer(outcome);
  }

  /** Refusals are answered here rather than thrown: most of a flash crowd is refused. */
  private static ResponseEntity<?> answer(GrabOutcome outcome) {
    return switch (outcome.kind()) {
      case ACCEPTED ->
          ResponseEntity.status(HttpStatus.ACCEPTED)
              .location(URI.create("/api/v1/orders/" + outcome.orderNo()))
              .body(new Accepted(outcome.orderNo(), outcome.status()));
      case SOLD_OUT -> Problems.response(new ApiException(ErrorCode.SOLD_OUT, outcome.detail()));
      case ALREADY_HOLDING ->
          Problems.response(
              new ApiException(
                  ErrorCode.ALREADY_HOLDING,
                  outcome.detail(),
                  null,
                  Map.of("orderNo", outcome.orderNo())));
      case RATE_LIMITED ->
          Problems.response(
              new ApiException(
                  ErrorCode.RATE_LIMITED, outcome.detail(), outcome.retryAfter(), Map.of()));
      case BUSY -> Problems.response(ApiException.busy(outcome.detail(), outcome.retryAfter()));
      case COUPON_TAKEN ->
          Problems.response(new ApiException(ErrorCode.CONFLICT, outcome.detail()));
    };
  }

  /**
   * A named coupon is checked before the grab spends the user's attempt: unknown or another user's
   * is 404, RESERVED or USED is 409, and either changes nothing.
   */
  private Coupons.Usable usableCoupon(String couponId, String userId) {
    if (couponId == null) {
      return null;
    }
    return switch (coupons.check(couponId, userId)) {
      case Coupons.Usable usable -> usable;
      case Coupons.Unknown unknown -> throw ApiException.notFound("coupon " + couponId);
      case Coupons.Unavailable taken ->
          throw new ApiException(
              ErrorCode.CONFLICT, "coupon " + couponId + " is " + taken.status());
    };
  }
}
