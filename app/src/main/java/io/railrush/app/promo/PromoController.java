package io.railrush.app.promo;

import io.railrush.app.identity.AdminAccess;
import io.railrush.app.identity.AuthenticatedUser;
import io.railrush.app.web.ErrorCode;
import io.railrush.app.web.Refusals;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Coupons (issued by an admin, listed by their owner), lottery draws, and the promo audit. */
@RestController
class PromoController {

  private final CouponRepository coupons;
  private final LotteryDraws draws;
  private final PromoAudit audit;
  private final Clock clock;

  PromoController(CouponRepository coupons, LotteryDraws draws, PromoAudit audit, Clock clock) {
    this.coupons = coupons;
    this.draws = draws;
    this.audit = audit;
    this.clock = clock;
  }

  record IssueCoupon(
      @NotNull @Pattern(regexp = "[A-Za-z0-9_.-]{1,64}", message = "must be a user id")
          String userId,
      @NotNull @Min(1) @Max(100_000_000) Long amountOffCents) {}

  record Issued(String couponId) {}

  record CouponView(String couponId, long amountOffCents, CouponStatus status) {}

  record CouponList(List<CouponView> coupons) {}

  record Draws(long draws) {}

  @PostMapping("/api/v1/admin/coupons")
  @ResponseStatus(HttpStatus.CREATED)
  @Refusals({ErrorCode.BAD_REQUEST, ErrorCode.UNAUTHORIZED, ErrorCode.FORBIDDEN})
  Issued issue(AdminAccess admin, @Valid @RequestBody IssueCoupon request) {
    String couponId = "C" + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
    coupons.issue(couponId, request.userId(), request.amountOffCents(), clock.millis());
    return new Issued(couponId);
  }

  @GetMapping("/api/v1/me/coupons")
  @Refusals({ErrorCode.UNAUTHORIZED})
  CouponList mine(AuthenticatedUser user) {
    return new CouponList(
        coupons.ofUser(user.userId()).stream()
            .map(c -> new CouponView(c.couponId(), c.amountOffCents(), c.status()))
            .toList());
  }

  @GetMapping("/api/v1/me/lottery")
  @Refusals({ErrorCode.UNAUTHORIZED})
  Draws lottery(AuthenticatedUser user) {
    return new Draws(draws.of(user.userId()));
  }

  @GetMapping("/api/v1/admin/promo/audit")
  @Refusals({ErrorCode.UNAUTHORIZED, ErrorCode.FORBIDDEN})
  PromoAudit.Report audit(AdminAccess admin) {
    return audit.report();
  }
}
