package io.railrush.app.order;

import org.springframework.modulith.NamedInterface;

/**
 * An accepted grab arrived under an order number another user's order already has: two issuers
 * shared a worker id (see the order-number lease). It cannot be written under that number, so its
 * reservation (and coupon) are to be returned; counted in {@code railrush_orders_number_collisions}
 * and logged as an error, because a 202 has then ended without its order. Not an {@code
 * ExternalEvent}: consumers keyed by order number would take it for the other user's order.
 */
@NamedInterface("api")
public record OrderNumberCollided(String orderNo, String runId, String userId, String couponId) {}
