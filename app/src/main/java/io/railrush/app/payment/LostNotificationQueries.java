package io.railrush.app.payment;

import io.railrush.app.infra.SweeperTurns;
import java.io.IOException;
import java.time.Clock;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.FixedDelayTask;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.stereotype.Component;

/**
 * A payment whose notification never came: {@code railrush.payment.query-after} after it was
 * created (and again each period after, at most {@link #MAX_QUERIES} times) its provider is asked
 * for the trade's state ({@link TradeQuery}), and the answer is recorded and settled like a
 * notification — the same inbox, the same exactly-once settlement. One node per round. Providers
 * that cannot be asked (WeChat Pay without our merchant key, Alipay without our application key)
 * wait for their notifications.
 */
@Component
class LostNotificationQueries implements SchedulingConfigurer {

  private static final Logger log = LoggerFactory.getLogger(LostNotificationQueries.class);
  static final int MAX_QUERIES = 5;

  private final PaymentRepository payments;
  private final PaymentConfig.TradeQueries queries;
  private final PaymentNotificationInbox inbox;
  private final Settlement settlement;
  private final SweeperTurns turns;
  private final PaymentProperties properties;
  private final Clock clock;

  LostNotificationQueries(
      PaymentRepository payments,
      PaymentConfig.TradeQueries queries,
      PaymentNotificationInbox inbox,
      Settlement settlement,
      SweeperTurns turns,
      PaymentProperties properties,
      Clock clock) {
    this.payments = payments;
    this.queries = queries;
    this.inbox = inbox;
    this.settlement = settlement;
    this.turns = turns;
    this.properties = properties;
    this.clock = clock;
  }

  @Override
  public void configureTasks(ScheduledTaskRegistrar tasks) {
    tasks.addFixedDelayTask(
        new FixedDelayTask(this::queryAsLeader, properties.queryEvery(), properties.queryEvery()));
  }

  void queryAsLeader() {
    if (queries.byProvider().isEmpty()) {
      return;
    }
    turns.runIfLeader(
        "payment-trade-queries",
        held -> {
          for (Payment payment :
              payments.unsettledSince(
                  clock.instant().minus(properties.queryAfter()),
                  MAX_QUERIES,
                  100,
                  queries.byProvider().keySet())) {
            if (!held.isHeld()) {
              return;
            }
            query(payment);
          }
        });
  }

  /** Asks the payment's provider about it and settles the answer; true when it answered. */
  boolean query(Payment payment) {
    TradeQuery query = queries.byProvider().get(payment.provider());
    if (query == null) {
      return false;
    }
    payments.countQuery(payment.outTradeNo(), clock.instant());
    Optional<VerifiedNotification> answer;
    try {
      answer = query.ask(payment.outTradeNo());
    } catch (IOException | RuntimeException e) {
      log.warn("trade query of {} failed: {}", payment.outTradeNo(), e.toString());
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
    if (answer.isEmpty()) {
      return false;
    }
    VerifiedNotification notification = answer.get();
    try {
      inbox.recordOne(new PaymentNotificationInbox.Arrival(notification, clock.instant()));
      settlement.settle(PaymentNotificationInbox.Key.of(notification));
    } catch (RuntimeException notSettledNow) {
      // recorded or not, the next round asks again (or the inbox sweep settles the record); one
      // payment's failure must not end the round for the others
      log.warn(
          "the answer about {} was not settled now: {}",
          payment.outTradeNo(),
          notSettledNow.toString());
      return true;
    }
    log.info(
        "trade {} settled from a query (its notification was lost): {}",
        payment.outTradeNo(),
        notification.state());
    return true;
  }
}
