package io.railrush.app.order;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code railrush.order.*}.
 *
 * @param paymentWindow unpaid (CREATED) orders are cancelled this long after they were written
 * @param paymentGrace how long after its window ends an order is cancelled: time for a payment
 *     notification that arrived in the window's last moment to reach the inbox (normally
 *     milliseconds) even while the database is slow; one that has not reached it by then finds its
 *     order cancelled and is REFUND_NEEDED
 * @param sweepEvery how often the (leader-elected) payment-window sweeper runs
 * @param pendingTtl how long an accepted order's PENDING view (and an abandoned mark) is kept while
 *     it is on its way to the database
 * @param keyPrefix prefix of the shared-tier keys of pending and abandoned orders
 */
@ConfigurationProperties("railrush.order")
record OrderProperties(
    @DefaultValue("15m") Duration paymentWindow,
    @DefaultValue("5s") Duration paymentGrace,
    @DefaultValue("1s") Duration sweepEvery,
    @DefaultValue("10m") Duration pendingTtl,
    @DefaultValue("railrush:order:") String keyPrefix) {

  OrderProperties {
    if (paymentGrace.isNegative()) {
      throw new IllegalArgumentException("railrush.order.payment-grace must not be negative");
    }
  }
}
