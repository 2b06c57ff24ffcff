package io.railrush.app.payment;

import io.railrush.app.infra.SweeperTurns;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * A payment whose notification never came: {@code railrush.payment.query-after} after it was
 * created (and again each period after, at most {@link #MAX_QUERIES} times) the provider is asked
 * for the trade's state, and its answer is recorded and settled like a notification — the same
 * inbox, the same exactly-once settlement. One node per round. The simulator answers {@code GET
 * <query-url>/<outTradeNo>} with a signed notification body; WeChat Pay's and Alipay's query APIs
 * are not called from here (no network to them), so their payments wait for notifications.
 */
@Component
class LostNotificationQueries {

  private static final Logger log = LoggerFactory.getLogger(LostNotificationQueries.class);
  static final int MAX_QUERIES = 5;

  private final PaymentRepository payments;
  private final PaymentConfig.NotificationVerifiers verifiers;
  private final PaymentNotificationInbox inbox;
  private final Settlement settlement;
  private final SweeperTurns turns;
  private final PaymentProperties properties;
  private final Clock clock;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  LostNotificationQueries(
      PaymentRepository payments,
      PaymentConfig.NotificationVerifiers verifiers,
      PaymentNotificationInbox inbox,
      Settlement settlement,
      SweeperTurns turns,
      PaymentProperties properties,
      Clock clock) {
    this.payments = payments;
    this.verifiers = verifiers;
    this.inbox = inbox;
    this.settlement = settlement;
    this.turns = turns;
    this.properties = properties;
    this.clock = clock;
  }

  @Scheduled(fixedDelay = 5_000, initialDelay = 5_000)
  void queryAsLeader() {
    if (verifiers.sim() == null
        || properties.sim().queryUrl() == null
        || properties.sim().queryUrl().isBlank()) {
      return;
    }
    turns.runIfLeader(
        "payment-trade-queries",
        held -> {
          for (Payment payment :
              payments.unsettledSince(
                  clock.instant().minus(properties.queryAfter()), MAX_QUERIES, 100)) {
            if (!held.isHeld()) {
              return;
            }
            if (payment.provider() == Provider.SIM) {
              query(payment);
            }
          }
        });
  }

  /** Asks the simulator about one payment and settles its answer; true when it answered. */
  boolean query(Payment payment) {
    payments.countQuery(payment.outTradeNo(), clock.instant());
    Optional<VerifiedNotification> answer;
    try {
      answer = askSimulator(payment.outTradeNo());
    } catch (IOException | RuntimeException e) {
      log.warn("trade query of {} failed: {}", payment.outTradeNo(), e.toString());
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
    answer.ifPresent(
        notification -> {
          inbox.record(notification, clock.instant());
          settlement.settle(
              new PaymentNotificationInbox.Key(notification.provider(), notification.notifyId()));
          log.info(
              "trade {} settled from a query (its notification was lost): {}",
              payment.outTradeNo(),
              notification.state());
        });
    return answer.isPresent();
  }

  private Optional<VerifiedNotification> askSimulator(String outTradeNo)
      throws IOException, InterruptedException {
    HttpResponse<byte[]> response =
        http.send(
            HttpRequest.newBuilder(URI.create(properties.sim().queryUrl() + "/" + outTradeNo))
                .timeout(Duration.ofSeconds(3))
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    if (response.statusCode() == 404) {
      return Optional.empty();
    }
    if (response.statusCode() != 200) {
      throw new IOException("simulator answered " + response.statusCode());
    }
    return Optional.of(
        verifiers
            .sim()
            .verify(
                response.headers().firstValue("X-Sim-Signature").orElse(null), response.body()));
  }
}
