package io.railrush.app.order;

import java.time.Instant;

/** One ticket order, as docs/api.md shows it. */
record Order(
    String orderNo,
    String runId,
    String userId,
    OrderStatus status,
    long amountCents,
    String couponId,
    Instant createdAt,
    Instant paidAt,
    String failureReason) {}
