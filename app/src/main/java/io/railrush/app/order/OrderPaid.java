package io.railrush.app.order;

import org.springframework.modulith.NamedInterface;

/**
 * CREATED → PAID. Published as an application event inside the transaction that made it true
 * (listeners acting on the outside world listen after commit); the order module never calls back
 * into the modules that listen.
 */
@NamedInterface("api")
public record OrderPaid(
    String orderNo, String runId, String userId, long amountCents, String couponId) {}
