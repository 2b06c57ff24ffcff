package io.railrush.app.order;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code railrush.order.*}.
 *
 * @param paymentWindow unpaid (CREATED) orders are cancelled this long after they were written
 * @param sweepEvery how often the (leader-elected) payment-window sweeper runs
 * @param pendingTtl how long an accepted order's PENDING view (and an abandoned mark) is kept while
 *     it is on its way to the database
 * @param keyPrefix prefix of the shared-tier keys of pending and abandoned orders
 */
@ConfigurationProperties("railrush.order")
record OrderProperties(
    @DefaultValue("15m") Duration paymentWindow,
    @DefaultValue("1s") Duration sweepEvery,
    @DefaultValue("10m") Duration pendingTtl,
    @DefaultValue("railrush:order:") String keyPrefix) {}
