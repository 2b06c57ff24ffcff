package io.railrush.app.grab;

import io.railrush.app.catalog.RunCatalog;
import io.railrush.app.catalog.RunForSale;
import io.railrush.app.identity.AuthenticatedUser;
import io.railrush.app.promo.Coupons;
import io.railrush.app.web.ApiException;
import io.railrush.app.web.ErrorCode;
import io.railrush.app.web.Problems;
import io.railrush.app.web.Refusals;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Pattern;
import java.net.URI;
import java.time.Clock;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/** {@code POST /api/v1/runs/{runId}/grabs} (docs/api.md). */
@RestController
class GrabController {

  private static final java.util.regex.Pattern IDEMPOTENCY_KEY =
      java.util.regex.Pattern.compile("[A-Za-z0-9_.:-]{1,64}");

  private final RunCatalog catalog;
  private final GrabService grabs;
  private final IdempotentGrabs idempotency;
  private final Coupons coupons;
  private final Clock clock;

  GrabController(
      RunCatalog catalog,
      GrabService grabs,
      IdempotentGrabs idempotency,
      Coupons coupons,
      Clock clock) {
    this.coupons = coupons;
    this.catalog = catalog;
    this.grabs = grabs;
    this.idempotency = idempotency;
    this.clock = clock;
  }

  record GrabRequest(
      @Pattern(
              regexp = "[A-Za-z0-9_.-]{1,64}",
              message = "must be 1-64 characters of [A-Za-z0-9_.-]")
          String couponId) {}

  record Accepted(String orderNo, String status) {}

  @PostMapping("/api/v1/runs/{runId}/grabs")
  @ApiResponse(
      responseCode = "202",
      description = "accepted: the seat is reserved and the order is on its way (PENDING)",
      content = @Content(schema = @Schema(implementation = Accepted.class)))
  @Refusals({
    ErrorCode.BAD_REQUEST,
    ErrorCode.UNAUTHORIZED,
    ErrorCode.NOT_FOUND,
    ErrorCode.SOLD_OUT,
    ErrorCode.ALREADY_HOLDING,
    ErrorCode.NOT_ON_SALE,
    ErrorCode.RATE_LIMITED,
    ErrorCode.BUSY,
    ErrorCode.PAYLOAD_TOO_LARGE
  })
  ResponseEntity<?> grab(
      AuthenticatedUser user,
      @PathVariable String runId,
      @RequestHeader(name = "Idempotency-Key", required = false) String key,
      @Valid @RequestBody(required = false) GrabRequest request) {
    if (key != null && !IDEMPOTENCY_KEY.matcher(key).matches()) {
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
        key == null
            ? grabs.grab(user.userId(), run, usableCoupon(request, user.userId()))
            : idempotency.answer(
                user.userId(),
                key,
                () -> grabs.grab(user.userId(), run, usableCoupon(request, user.userId())));
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
  private Coupons.Usable usableCoupon(GrabRequest request, String userId) {
    String couponId = request == null ? null : request.couponId();
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
