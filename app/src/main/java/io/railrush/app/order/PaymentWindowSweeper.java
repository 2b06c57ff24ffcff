package io.railrush.app.order;

import io.railrush.app.infra.SweeperTurns;
import io.railrush.kit.lock.LockHandle;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.FixedDelayTask;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.stereotype.Component;

/** Cancels orders left unpaid past the payment window; one node per round (the lock). */
@Component
class PaymentWindowSweeper implements SchedulingConfigurer {

  private static final Logger log = LoggerFactory.getLogger(PaymentWindowSweeper.class);
  private static final int BATCH = 500;

  private final OrderRepository orders;
  private final OrderCancellation cancellation;
  private final List<PaymentsUnderway> payments;
  private final SweeperTurns turns;
  private final OrderProperties properties;
  private final Clock clock;

  PaymentWindowSweeper(
      OrderRepository orders,
      OrderCancellation cancellation,
      List<PaymentsUnderway> payments,
      SweeperTurns turns,
      OrderProperties properties,
      Clock clock) {
    this.orders = orders;
    this.cancellation = cancellation;
    this.payments = payments;
    this.turns = turns;
    this.properties = properties;
    this.clock = clock;
  }

  @Override
  public void configureTasks(ScheduledTaskRegistrar tasks) {
    tasks.addFixedDelayTask(
        new FixedDelayTask(this::sweepAsLeader, properties.sweepEvery(), Duration.ZERO));
  }

  void sweepAsLeader() {
    turns.runIfLeader("payment-window-sweeper", this::sweep);
  }

  private void sweep(LockHandle held) {
    // past the grace too: a notification that arrived in the window's last moment is recorded (or
    // holds its payment's lock) by then
    Instant writtenBefore =
        clock.instant().minus(properties.paymentWindow()).minus(properties.paymentGrace());
    OrderRepository.Unpaid cursor = OrderRepository.Unpaid.START;
    List<OrderRepository.Unpaid> due;
    do {
      due = orders.unpaidSince(writtenBefore, cursor, BATCH);
      if (due.isEmpty()) {
        return;
      }
      cursor = due.getLast();
      int cancelled = 0;
      int spared = 0;
      for (OrderRepository.Unpaid unpaid : due) {
        if (!held.isHeld()) {
          return;
        }
        Optional<Order> order = orders.find(unpaid.orderNo());
        if (order.isEmpty()) {
          continue;
        }
        Instant windowEnd =
            Instant.ofEpochMilli(unpaid.createdAtMs()).plus(properties.paymentWindow());
        boolean[] paidInTime = {false};
        if (cancellation.cancelUnless(
            order.get(),
            "payment window expired",
            () -> paidInTime[0] = reportedPaid(unpaid.orderNo(), windowEnd))) {
          cancelled++;
        } else if (paidInTime[0]) {
          spared++;
        }
      }
      if (cancelled > 0) {
        log.info("cancelled {} orders unpaid after {}", cancelled, properties.paymentWindow());
      }
      if (spared > 0) {
        log.info("{} unpaid orders kept: their payment is being settled", spared);
      }
    } while (due.size() == BATCH);
  }

  private boolean reportedPaid(String orderNo, Instant windowEnd) {
    for (PaymentsUnderway underway : payments) {
      if (underway.reportedPaidBy(orderNo, windowEnd)) {
        return true;
      }
    }
    return false;
  }
}
