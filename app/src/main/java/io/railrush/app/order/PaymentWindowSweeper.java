package io.railrush.app.order;

import io.railrush.app.infra.Outages;
import io.railrush.app.infra.SweeperTurns;
import io.railrush.kit.lock.LockHandle;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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
    // past the grace too: a notification that arrived in the window's last moment has reached
    // its payment's row by then, and the locked check below waits for it
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
      Map<String, Instant> windowEnds = new HashMap<>();
      for (OrderRepository.Unpaid unpaid : due) {
        windowEnds.put(
            unpaid.orderNo(),
            Instant.ofEpochMilli(unpaid.createdAtMs()).plus(properties.paymentWindow()));
      }
      // one read for the page: what is committed already needs no lock to be spared
      Set<String> spared = new HashSet<>();
      payments.forEach(p -> spared.addAll(p.among(windowEnds)));
      int cancelled = 0;
      for (OrderRepository.Unpaid unpaid : due) {
        if (!held.isHeld()) {
          return;
        }
        if (spared.contains(unpaid.orderNo())) {
          continue; // paid in time: its settlement is still in the queue
        }
        try {
          if (cancelUnlessPaid(unpaid.orderNo(), windowEnds.get(unpaid.orderNo()))) {
            cancelled++;
          }
        } catch (RuntimeException notNow) {
          if (!Outages.isOutage(notNow)) {
            throw notNow; // a bug surfaces
          }
          // a lock wait that timed out, a deadlock victim: the next round tries it again
          log.warn("order {} not cancelled this round: {}", unpaid.orderNo(), notNow.toString());
        }
      }
      if (cancelled > 0) {
        log.info("cancelled {} orders unpaid after {}", cancelled, properties.paymentWindow());
      }
      if (!spared.isEmpty()) {
        log.info("{} unpaid orders kept: their payment is being settled", spared.size());
      }
    } while (due.size() == BATCH);
  }

  /** In one transaction: the order's payments locked and asked, then the order cancelled. */
  private boolean cancelUnlessPaid(String orderNo, Instant windowEnd) {
    Optional<Order> order = orders.find(orderNo);
    return order.isPresent()
        && cancellation.cancelUnless(
            order.get(),
            "payment window expired",
            () -> payments.stream().anyMatch(p -> p.reportedPaidBy(orderNo, windowEnd)));
  }
}
