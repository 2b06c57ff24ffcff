package io.railrush.app.payment;

import io.railrush.app.infra.SweeperTurns;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.FixedDelayTask;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.stereotype.Component;

/**
 * Settles notifications left unsettled for {@link #STALE} (their wake-up message was lost, their
 * settler died, or they were dead-lettered after repeated failures), one node per round.
 */
@Component
class InboxRedrive implements SchedulingConfigurer {

  private static final Logger log = LoggerFactory.getLogger(InboxRedrive.class);
  static final Duration STALE = Duration.ofSeconds(10);

  private final PaymentNotificationInbox inbox;
  private final Settlement settlement;
  private final SweeperTurns turns;
  private final Clock clock;
  private final Duration redriveEvery;

  InboxRedrive(
      PaymentNotificationInbox inbox,
      Settlement settlement,
      SweeperTurns turns,
      PaymentProperties properties,
      Clock clock) {
    this.inbox = inbox;
    this.settlement = settlement;
    this.turns = turns;
    this.clock = clock;
    this.redriveEvery = properties.redriveEvery();
  }

  @Override
  public void configureTasks(ScheduledTaskRegistrar tasks) {
    tasks.addFixedDelayTask(new FixedDelayTask(this::redriveAsLeader, redriveEvery, redriveEvery));
  }

  void redriveAsLeader() {
    turns.runIfLeader(
        "payment-inbox-redrive",
        held -> {
          int settled = 0;
          for (PaymentNotificationInbox.Key key :
              inbox.unsettled(clock.instant().minus(STALE), 500)) {
            if (!held.isHeld()) {
              break;
            }
            try {
              if (settlement.settle(key).isPresent()) {
                settled++;
              }
            } catch (RuntimeException e) {
              settlement.failed(key, e);
              log.warn("redrive of {} failed: {}", key, e.toString());
            }
          }
          if (settled > 0) {
            log.info("settled {} notifications left behind", settled);
          }
        });
  }
}
