package io.railrush.app.payment;

import org.springframework.modulith.NamedInterface;

/**
 * A payment was settled and its order is PAID. Published as an application event inside the
 * settlement's transaction, once per paid order.
 */
@NamedInterface("api")
public record PaymentSucceeded(
    String outTradeNo,
    String orderNo,
    String userId,
    String provider,
    long amountCents,
    String couponId) {}
