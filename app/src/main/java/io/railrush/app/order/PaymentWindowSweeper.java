package io.railrush.app.order;

import io.railrush.app.infra.SweeperTurns;
import io.railrush.kit.lock.LockHandle;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
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
  private final SweeperTurns turns;
  private final OrderProperties properties;
  private final Clock clock;

  PaymentWindowSweeper(
      OrderRepository orders,
      OrderCancellation cancellation,
      SweeperTurns turns,
      OrderProperties properties,
      Clock clock) {
    this.orders = orders;
    this.cancellation = cancellation;
    this.turns = turns;
    this.properties = properties;
    this.clock = clock;
  }

  @Scheduled(fixedDelayString = "${railrush.order.sweep-every:1s}")
  void sweepAsLeader() {
    turns.runIfLeader("payment-window-sweeper", this::sweep);
  }

  private void sweep(LockHandle held) {
    List<String> due;
    do {
      due = orders.unpaidSince(clock.instant().minus(properties.paymentWindow()), BATCH);
      int cancelled = 0;
      for (String orderNo : due) {
        if (!held.isHeld()) {
          return;
        }
        Optional<Order> order = orders.find(orderNo);
        if (order.isPresent() && cancellation.cancel(order.get(), "payment window expired")) {
          cancelled++;
        }
      }
      if (cancelled > 0) {
        log.info("cancelled {} orders unpaid after {}", cancelled, properties.paymentWindow());
      }
    } while (due.size() == BATCH);
  }
}
