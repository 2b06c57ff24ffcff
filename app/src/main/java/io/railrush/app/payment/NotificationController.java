package io.railrush.app.payment;

import io.railrush.app.web.ApiException;
import io.railrush.app.web.ErrorCode;
import io.railrush.app.web.Refusals;
import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * Provider notifications (支付回调): verify, record durably, answer — each provider in the form it
 * expects — and return; settlement happens elsewhere, after the answer. A provider without settings
 * answers 404.
 */
@RestController
class NotificationController {

  private final PaymentConfig.NotificationVerifiers verifiers;
  private final NotificationIntake intake;
  private final Clock clock;

  NotificationController(
      PaymentConfig.NotificationVerifiers verifiers, NotificationIntake intake, Clock clock) {
    this.verifiers = verifiers;
    this.intake = intake;
    this.clock = clock;
  }

  record SimAnswer(String code) {}

  @PostMapping("/api/v1/payments/notify/sim")
  @Refusals({ErrorCode.INVALID_SIGNATURE, ErrorCode.BAD_REQUEST, ErrorCode.NOT_FOUND})
  SimAnswer sim(
      @RequestHeader(name = "X-Sim-Signature", required = false) String signature,
      @RequestBody byte[] body) {
    Instant arrived = clock.instant();
    if (verifiers.sim() == null) {
      throw ApiException.notFound("payment provider sim");
    }
    try {
      intake.accept(verifiers.sim().verify(signature, body), arrived);
    } catch (NotificationRejected rejected) {
      throw switch (rejected.reason()) {
        case BAD_SIGNATURE -> new ApiException(ErrorCode.INVALID_SIGNATURE, rejected.getMessage());
        case MALFORMED -> ApiException.badRequest(rejected.getMessage());
      };
    }
    return new SimAnswer("SUCCESS");
  }

  record WeChatFailure(String code, String message) {}

  /** WeChat Pay expects 200/204 with no body for success, else 4xx/5xx with {code: FAIL}. */
  @PostMapping("/api/v1/payments/notify/wechat")
  ResponseEntity<?> wechat(HttpServletRequest request, @RequestBody byte[] body) {
    Instant arrived = clock.instant();
    if (verifiers.wechat() == null) {
      throw ApiException.notFound("payment provider wechat");
    }
    try {
      intake.accept(
          verifiers.wechat().verify(request::getHeader, new String(body, StandardCharsets.UTF_8)),
          arrived);
    } catch (NotificationRejected rejected) {
      HttpStatus status =
          rejected.reason() == NotificationRejected.Reason.BAD_SIGNATURE
              ? HttpStatus.UNAUTHORIZED
              : HttpStatus.BAD_REQUEST;
      return ResponseEntity.status(status)
          .contentType(MediaType.APPLICATION_JSON)
          .body(new WeChatFailure("FAIL", rejected.getMessage()));
    }
    return ResponseEntity.noContent().build();
  }

  /** Alipay expects the plain text {@code success}; anything else makes it call again. */
  @PostMapping(
      path = "/api/v1/payments/notify/alipay",
      consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
  ResponseEntity<String> alipay(HttpServletRequest request) {
    Instant arrived = clock.instant();
    if (verifiers.alipay() == null) {
      throw ApiException.notFound("payment provider alipay");
    }
    Map<String, String> params = new HashMap<>();
    request.getParameterMap().forEach((name, values) -> params.put(name, values[0]));
    try {
      intake.accept(verifiers.alipay().verify(params), arrived);
    } catch (NotificationRejected rejected) {
      HttpStatus status =
          rejected.reason() == NotificationRejected.Reason.BAD_SIGNATURE
              ? HttpStatus.UNAUTHORIZED
              : HttpStatus.BAD_REQUEST;
      return ResponseEntity.status(status).contentType(MediaType.TEXT_PLAIN).body("fail");
    }
    return ResponseEntity.ok().contentType(MediaType.TEXT_PLAIN).body("success");
  }
}
