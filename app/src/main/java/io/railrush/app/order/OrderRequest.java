package io.railrush.app.order;

import org.springframework.modulith.NamedInterface;

/**
 * A seat reserved for a user, to be written as an order. The same request may be handed to the
 * order writer more than once (redelivery); it is written once, keyed by {@code orderNo}.
 */
@NamedInterface("api")
public record OrderRequest(
    String orderNo,
    String runId,
    String userId,
    long amountCents,
    String couponId,
    long acceptedAtMs) {}
