package io.railrush.app.order;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code railrush.order.*}.
 *
 * @param paymentWindow unpaid (CREATED) orders are cancelled this long after they were written
 * @param sweepEvery how often the (leader-elected) payment-window sweeper runs
 */
@ConfigurationProperties("railrush.order")
record OrderProperties(
    @DefaultValue("15m") Duration paymentWindow, @DefaultValue("1s") Duration sweepEvery) {}
