/**
 * Orders: written from accepted requests in batches behind the seat ledger, the lifecycle (CREATED
 * → PAID | CANCELLED | FAILED), the payment window. Announces what happened to an order as events
 * ({@code OrderCreated}, {@code OrderFailed}, {@code OrderCancelled}); knows nothing of the grab
 * pipeline that feeds it.
 */
@ApplicationModule(
    displayName = "Orders",
    allowedDependencies = {"web", "identity", "infra", "catalog::api", "messaging::api"})
package io.railrush.app.order;

import org.springframework.modulith.ApplicationModule;
