/**
 * Payments (支付回调): payment attempts of an order, provider notifications verified and recorded
 * before they are answered, and settled asynchronously — exactly once — under a fenced lock with an
 * idempotency record; lost notifications found by asking the provider. Learns about orders through
 * the order module's API only; announces {@code PaymentSucceeded}.
 */
@ApplicationModule(
    displayName = "Payments",
    allowedDependencies = {"web", "identity", "infra", "order::api", "messaging::api"})
package io.railrush.app.payment;

import org.springframework.modulith.ApplicationModule;
