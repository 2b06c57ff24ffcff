package io.railrush.app.payment;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * The provider-facing half: a verified notification is written to the inbox (one durable insert,
 * unique per provider notification id, so a retry is recorded once) and a settler is woken; the
 * provider is answered as soon as the insert commits, long before its deadline.
 */
@Service
class NotificationIntake {

  private static final Logger log = LoggerFactory.getLogger(NotificationIntake.class);

  private final PaymentNotificationInbox inbox;
  private final SettlementBus bus;
  private final Clock clock;
  private final Counter recorded;
  private final Counter repeated;

  NotificationIntake(
      PaymentNotificationInbox inbox, SettlementBus bus, Clock clock, MeterRegistry meters) {
    this.inbox = inbox;
    this.bus = bus;
    this.clock = clock;
    this.recorded =
        Counter.builder("railrush.payments.notifications").tag("recorded", "new").register(meters);
    this.repeated =
        Counter.builder("railrush.payments.notifications")
            .tag("recorded", "before")
            .register(meters);
  }

  /** Records it (once) and wakes a settler; returns when the record is durable. */
  void accept(VerifiedNotification notification) {
    PaymentNotificationInbox.Key key =
        new PaymentNotificationInbox.Key(notification.provider(), notification.notifyId());
    if (!inbox.record(notification, clock.instant())) {
      repeated.increment();
      return; // recorded before: its settlement is under way or done
    }
    recorded.increment();
    try {
      bus.announce(key);
    } catch (RuntimeException wakeUpLost) {
      log.warn(
          "settlement of {} not announced (the inbox sweeper will settle it): {}",
          key,
          wakeUpLost.toString());
    }
  }
}
