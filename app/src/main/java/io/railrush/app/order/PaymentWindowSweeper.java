package io.railrush.app.order;

import io.railrush.app.infra.SweeperTurns;
import io.railrush.kit.lock.LockHandle;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/** Cancels orders left unpaid past the payment window; one node per round (the lock). */
@Component
class PaymentWindowSweeper {

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

  @Scheduled(fixedDelayString = "${railrush.order.sweep-every:1s}")
  void sweepAsLeader() {
    turns.runIfLeader("payment-window-sweeper", this::sweep);
  }

  private void sweep(LockHandle held) {
    Instant writtenBefore = clock.instant().minus(properties.paymentWindow());
    OrderRepository.Unpaid cursor = OrderRepository.Unpaid.START;
    List<OrderRepository.Unpaid> due;
    do {
      due = orders.unpaidSince(writtenBefore, cursor, BATCH);
      if (due.isEmpty()) {
        return;
      }
      cursor = due.getLast();
      Set<String> beingSettled = underway(due);
      int cancelled = 0;
      for (OrderRepository.Unpaid unpaid : due) {
        if (!held.isHeld()) {
          return;
        }
        if (beingSettled.contains(unpaid.orderNo())) {
          continue; // paid in time: its settlement is still in the queue
        }
        Optional<Order> order = orders.find(unpaid.orderNo());
        if (order.isPresent() && cancellation.cancel(order.get(), "payment window expired")) {
          cancelled++;
        }
      }
      if (cancelled > 0) {
        log.info("cancelled {} orders unpaid after {}", cancelled, properties.paymentWindow());
      }
      if (!beingSettled.isEmpty()) {
        log.info("{} unpaid orders kept: their payment is being settled", beingSettled.size());
      }
    } while (due.size() == BATCH);
  }

  private Set<String> underway(List<OrderRepository.Unpaid> due) {
    Set<String> underway = new HashSet<>();
    Map<String, Instant> windowEnds = new HashMap<>();
    for (OrderRepository.Unpaid unpaid : due) {
      windowEnds.put(
          unpaid.orderNo(),
          Instant.ofEpochMilli(unpaid.createdAtMs()).plus(properties.paymentWindow()));
    }
    payments.forEach(p -> underway.addAll(p.among(windowEnds)));
    return underway;
  }
}
