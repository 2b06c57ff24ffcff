package io.railrush.app.grab;

import io.railrush.app.order.OrderRequest;

/**
 * A seat reserved for a user, on the bus to the order writer. Published once per 202; the order
 * writer may see it more than once (redelivery) and writes it once.
 */
record GrabAccepted(
    String orderNo,
    String runId,
    String userId,
    long amountCents,
    String couponId,
    long acceptedAtMs) {

  OrderRequest toOrderRequest() {
    return new OrderRequest(orderNo, runId, userId, amountCents, couponId, acceptedAtMs);
  }
}
