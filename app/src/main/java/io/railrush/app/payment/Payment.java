package io.railrush.app.payment;

import java.time.Instant;

/** One payment attempt of an order, as the {@code payment} table holds it. */
record Payment(
    String outTradeNo,
    String orderNo,
    String userId,
    Provider provider,
    long amountCents,
    PaymentStatus status,
    long fence,
    String transactionId,
    Instant createdAt) {}
