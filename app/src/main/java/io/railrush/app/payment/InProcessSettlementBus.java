package io.railrush.app.payment;

import io.railrush.app.infra.PollingWorker;
import io.railrush.app.infra.Roles;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Conditional;
import org.springframework.stereotype.Component;

/**
 * Embedded mode's settlement bus: one worker in this JVM (payment role) settles the inbox's
 * unsettled notifications oldest first, woken at once by each new one. A notification whose
 * settlement fails stays unsettled and is tried again on the next pass.
 */
@Component
@Conditional(PaymentConfig.OnInProcessBus.class)
class InProcessSettlementBus extends PollingWorker implements SettlementBus {

  private static final Logger log = LoggerFactory.getLogger(InProcessSettlementBus.class);
  private static final int BATCH = 200;

  private final PaymentNotificationInbox inbox;
  private final Settlement settlement;
  private final Clock clock;

  InProcessSettlementBus(
      PaymentNotificationInbox inbox, Settlement settlement, Clock clock, Roles roles) {
    super("payment-settler", roles.has(Roles.Role.PAYMENT), Duration.ofMillis(200));
    this.inbox = inbox;
    this.settlement = settlement;
    this.clock = clock;
  }

  @Override
  public void announce(List<PaymentNotificationInbox.Key> recorded) {
    wakeUp();
  }

  /**
   * Settles one batch (fewest failed attempts, then oldest, first); true when a full batch went
   * through.
   */
  @Override
  protected boolean poll() {
    List<PaymentNotificationInbox.Key> due = inbox.unsettled(clock.instant().plusSeconds(1), BATCH);
    int failed = 0;
    for (PaymentNotificationInbox.Key key : due) {
      try {
        settlement.settle(key);
      } catch (RuntimeException e) {
        failed++;
        log.warn("settling {} failed; retried: {}", key, e.toString());
        settlement.failed(key, e);
      }
    }
    return due.size() == BATCH && failed < due.size();
  }
}
