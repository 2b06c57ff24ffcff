package io.railrush.app.payment;

import io.railrush.app.identity.AuthenticatedUser;
import io.railrush.app.web.ApiException;
import io.railrush.app.web.ErrorCode;
import io.railrush.app.web.Refusals;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.ObjectMapper;

/**
 * {@code POST /api/v1/payments/sim/{outTradeNo}/pay}: the buyer pays at the simulator's cashier.
 * The node then plays the provider: it sends the signed notification to its own {@code
 * /api/v1/payments/notify/sim} over loopback HTTP, and, like a provider, calls again after 1 s, 2
 * s, 5 s and 10 s until it is answered 200 — so the page's payment goes through the same
 * verification, inbox and settlement as a real one. The paid trade is recorded ({@link
 * SimCashierTrades}) before the 202, as a provider records it on its side: a node that dies before
 * its notification is recorded finds the trade by the lost-notification query after a restart. Off
 * unless {@code railrush.payment.sim.cashier=true} (the embedded profile); then 404.
 */
@RestController
class SimCashier {

  private static final Logger log = LoggerFactory.getLogger(SimCashier.class);
  private static final List<Duration> RETRIES =
      List.of(
          Duration.ZERO,
          Duration.ofSeconds(1),
          Duration.ofSeconds(2),
          Duration.ofSeconds(5),
          Duration.ofSeconds(10));

  private final PaymentRepository payments;
  private final SimCashierTrades trades;
  private final PaymentConfig.NotificationVerifiers verifiers;
  private final PaymentProperties properties;
  private final ObjectMapper json;
  private final Environment environment;
  private final Clock clock;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  SimCashier(
      PaymentRepository payments,
      SimCashierTrades trades,
      PaymentConfig.NotificationVerifiers verifiers,
      PaymentProperties properties,
      ObjectMapper json,
      Environment environment,
      Clock clock) {
    this.payments = payments;
    this.trades = trades;
    this.verifiers = verifiers;
    this.properties = properties;
    this.json = json;
    this.environment = environment;
    this.clock = clock;
  }

  record Paying(String outTradeNo, String status) {}

  @PostMapping("/api/v1/payments/sim/{outTradeNo}/pay")
  @ResponseStatus(HttpStatus.ACCEPTED)
  @Refusals({ErrorCode.UNAUTHORIZED, ErrorCode.NOT_FOUND, ErrorCode.CONFLICT})
  Paying pay(AuthenticatedUser user, @PathVariable String outTradeNo) {
    if (!properties.sim().cashier() || verifiers.sim() == null) {
      throw ApiException.notFound("the simulator's cashier");
    }
    Payment payment =
        payments
            .find(outTradeNo)
            .filter(p -> p.userId().equals(user.userId()))
            .orElseThrow(() -> ApiException.notFound("payment " + outTradeNo));
    if (payment.provider() != Provider.SIM) {
      throw new ApiException(ErrorCode.CONFLICT, "payment " + outTradeNo + " is not a simulator's");
    }
    if (payment.status() != PaymentStatus.PENDING) {
      throw new ApiException(
          ErrorCode.CONFLICT, "payment " + outTradeNo + " is " + payment.status());
    }
    String transactionId = "SIM" + outTradeNo.substring(1);
    trades.record(
        new SimCashierTrades.Paid(
            outTradeNo, transactionId, payment.amountCents(), clock.instant()));
    byte[] body =
        json.writeValueAsBytes(
            new SimNotifications.SimNotification(
                "cashier-" + outTradeNo,
                outTradeNo,
                transactionId,
                payment.amountCents(),
                "SUCCESS",
                OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC).toString()));
    String signature = verifiers.sim().sign(body);
    Thread.ofVirtual().name("sim-cashier-" + outTradeNo).start(() -> callBack(body, signature));
    return new Paying(outTradeNo, "PAYING");
  }

  private void callBack(byte[] body, String signature) {
    URI notifyUri =
        URI.create(
            "http://127.0.0.1:"
                + environment.getProperty("local.server.port", "8080")
                + "/api/v1/payments/notify/sim");
    for (Duration wait : RETRIES) {
      try {
        Thread.sleep(wait);
        HttpResponse<Void> answer =
            http.send(
                HttpRequest.newBuilder(notifyUri)
                    .timeout(Duration.ofSeconds(1))
                    .header("Content-Type", "application/json")
                    .header("X-Sim-Signature", signature)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                    .build(),
                HttpResponse.BodyHandlers.discarding());
        if (answer.statusCode() == 200) {
          return;
        }
        log.warn("the cashier's notification was answered {}", answer.statusCode());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (java.io.IOException e) {
        log.warn("the cashier's notification failed: {}", e.toString());
      }
    }
  }
}
