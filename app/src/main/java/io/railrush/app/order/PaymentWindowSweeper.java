package io.railrush.app.order;

import io.railrush.app.infra.Roles;
import io.railrush.kit.lock.LockHandle;
import io.railrush.kit.lock.LockService;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/** Cancels orders left unpaid past the payment window; one leader per cluster (the lock). */
@Component
class PaymentWindowSweeper {

  private static final Logger log = LoggerFactory.getLogger(PaymentWindowSweeper.class);
  private static final int BATCH = 500;

  private final OrderRepository orders;
  private final OrderCancellation cancellation;
  private final LockService locks;
  private final OrderProperties properties;
  private final Roles roles;
  private final Clock clock;

  PaymentWindowSweeper(
      OrderRepository orders, OrderCancellation cancellation, LockService locks, OrderProperties properties, Roles roles, Clock clock) {
    this.orders = orders;
    this.cancellation = cancellation;
    this.locks = locks;
    this.properties = properties;
    this.roles = roles;
    this.clock = clock;
  }

  @Scheduled(fixedDelayString = "${railrush.order.sweep-every:1s}")
  void sweepAsLeader() {
    if (!roles.has(Roles.SWEEPER)) {
      return;
    }
    Optional<LockHandle> leader = locks.tryAcquire("payment-window-sweeper", Duration.ZERO, Duration.ofSeconds(30));
    if (leader.isEmpty()) {
      return;
    }
    try (LockHandle held = leader.get()) {
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
    } catch (RuntimeException e) {
      log.warn("payment-window sweep stopped: {}", e.toString());
    }
  }
}
