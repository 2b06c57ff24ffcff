package io.railrush.app.grab;

/**
 * A seat reserved for a user, on its way to becoming an order. Published once per 202; the order
 * writer may see it more than once (redelivery) and must write it once.
 */
public record GrabAccepted(
    String orderNo,
    String runId,
    String userId,
    long amountCents,
    String couponId,
    long acceptedAtMs) {}
