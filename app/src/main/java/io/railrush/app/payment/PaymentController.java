package io.railrush.app.payment;

import io.railrush.app.identity.AdminAccess;
import io.railrush.app.identity.AuthenticatedUser;
import io.railrush.app.order.OrderPayments;
import io.railrush.app.order.OrderStatus;
import io.railrush.app.web.ApiException;
import io.railrush.app.web.ErrorCode;
import io.railrush.app.web.Refusals;
import io.railrush.kit.id.OrderNumberGenerator;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Creating a payment for an order (its owner), and what needs a person (admin). */
@RestController
class PaymentController {

  private static final int REVIEW_LIMIT = 500;

  private final OrderPayments orders;
  private final PaymentRepository payments;
  private final PaymentNotificationInbox inbox;
  private final PaymentConfig.NotificationVerifiers verifiers;
  private final OrderNumberGenerator numbers;
  private final Clock clock;

  PaymentController(
      OrderPayments orders,
      PaymentRepository payments,
      PaymentNotificationInbox inbox,
      PaymentConfig.NotificationVerifiers verifiers,
      OrderNumberGenerator numbers,
      Clock clock) {
    this.orders = orders;
    this.payments = payments;
    this.inbox = inbox;
    this.verifiers = verifiers;
    this.numbers = numbers;
    this.clock = clock;
  }

  record CreatePayment(@NotNull String provider) {}

  record Created(String outTradeNo, String provider, long amountCents, String notifyPath) {}

  @PostMapping("/api/v1/orders/{orderNo}/payments")
  @Refusals({
    ErrorCode.BAD_REQUEST,
    ErrorCode.UNAUTHORIZED,
    ErrorCode.NOT_FOUND,
    ErrorCode.CONFLICT,
    ErrorCode.PAYLOAD_TOO_LARGE
  })
  ResponseEntity<Created> create(
      AuthenticatedUser user,
      @PathVariable String orderNo,
      @Valid @RequestBody CreatePayment request) {
    Provider provider =
        Provider.fromWire(request.provider())
            .orElseThrow(
                () -> ApiException.badRequest("provider must be one of sim, wechat, alipay"));
    OrderPayments.PayableOrder order =
        orders
            .find(orderNo)
            .filter(o -> o.userId().equals(user.userId()))
            .orElseThrow(() -> ApiException.notFound("order " + orderNo));
    if (order.status() == OrderStatus.PENDING) {
      throw new ApiException(
          ErrorCode.CONFLICT,
          "the order is still being written; retry shortly",
          Duration.ofSeconds(1),
          Map.of());
    }
    if (order.status() != OrderStatus.CREATED) {
      throw new ApiException(ErrorCode.CONFLICT, "the order is " + order.status());
    }
    if (!verifiers.configured(provider)) {
      throw ApiException.notFound("payment provider " + provider.wireName());
    }
    // one out_trade_no per attempt, unique across the cluster like order numbers
    String outTradeNo = "P" + numbers.next().substring(1);
    payments.insert(
        new Payment(
            outTradeNo,
            order.orderNo(),
            order.userId(),
            provider,
            order.amountCents(),
            PaymentStatus.PENDING,
            0,
            null,
            clock.instant()));
    return ResponseEntity.status(HttpStatus.CREATED)
        .location(URI.create("/api/v1/orders/" + orderNo))
        .body(
            new Created(
                outTradeNo,
                provider.wireName(),
                order.amountCents(),
                "/api/v1/payments/notify/" + provider.wireName()));
  }

  record ReviewItem(
      String outTradeNo,
      String provider,
      String notifyId,
      String transactionId,
      long notifiedAmountCents,
      String tradeState,
      String status,
      String reason,
      Instant receivedAt,
      Instant settledAt) {}

  record ReviewList(List<ReviewItem> payments) {}

  @GetMapping("/api/v1/admin/payments")
  @Refusals({ErrorCode.BAD_REQUEST, ErrorCode.UNAUTHORIZED, ErrorCode.FORBIDDEN})
  ReviewList needingAPerson(AdminAccess admin, @RequestParam String status) {
    SettlementOutcome outcome =
        switch (status) {
          case "REVIEW" -> SettlementOutcome.REVIEW;
          case "REFUND_NEEDED" -> SettlementOutcome.REFUND_NEEDED;
          default -> throw ApiException.badRequest("status must be REVIEW or REFUND_NEEDED");
        };
    return new ReviewList(
        inbox.withOutcome(outcome, REVIEW_LIMIT).stream()
            .map(
                r ->
                    new ReviewItem(
                        r.notification().outTradeNo(),
                        r.notification().provider().wireName(),
                        r.notification().notifyId(),
                        r.notification().transactionId(),
                        r.notification().amountCents(),
                        r.notification().state().name(),
                        r.outcome().name(),
                        r.reason(),
                        r.receivedAt(),
                        r.settledAt()))
            .toList());
  }
}
