package io.railrush.app.payment;

import io.railrush.app.infra.Roles;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Conditional;
import org.springframework.stereotype.Component;

/**
 * Embedded mode's settlement bus: one worker in this JVM (payment role) settles the inbox's
 * unsettled notifications oldest first, woken at once by each new one. A notification whose
 * settlement fails stays unsettled and is tried again on the next pass.
 */
@Component
@Conditional(PaymentConfig.OnInProcessBus.class)
class InProcessSettlementBus implements SettlementBus, SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(InProcessSettlementBus.class);
  private static final int BATCH = 200;

  private final PaymentNotificationInbox inbox;
  private final Settlement settlement;
  private final Clock clock;
  private final boolean settles;
  private final Semaphore wakeUp = new Semaphore(0);
  private volatile Thread worker;
  private volatile boolean running;

  InProcessSettlementBus(
      PaymentNotificationInbox inbox, Settlement settlement, Clock clock, Roles roles) {
    this.inbox = inbox;
    this.settlement = settlement;
    this.clock = clock;
    this.settles = roles.has(Roles.Role.PAYMENT);
  }

  @Override
  public void announce(PaymentNotificationInbox.Key key) {
    wakeUp.release();
  }

  private void work() {
    while (running) {
      try {
        List<PaymentNotificationInbox.Key> due =
            inbox.unsettled(clock.instant().plusSeconds(1), BATCH);
        int failed = 0;
        for (PaymentNotificationInbox.Key key : due) {
          try {
            settlement.settle(key);
          } catch (RuntimeException e) {
            failed++;
            log.warn("settling {} failed; retried: {}", key, e.toString());
            inbox.countAttempt(key);
          }
        }
        if (due.size() < BATCH || failed == due.size()) {
          wakeUp.tryAcquire(failed > 0 ? 1_000 : 200, TimeUnit.MILLISECONDS);
          wakeUp.drainPermits();
        }
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        log.warn("settlement pass failed: {}", e.toString());
        try {
          Thread.sleep(500);
        } catch (InterruptedException interrupted) {
          return;
        }
      }
    }
  }

  @Override
  public void start() {
    running = true;
    if (settles) {
      worker = Thread.ofPlatform().name("payment-settler").daemon().start(this::work);
    }
  }

  @Override
  public void stop() {
    running = false;
    Thread current = worker;
    if (current != null) {
      current.interrupt();
      try {
        current.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public boolean isRunning() {
    return running;
  }
}
