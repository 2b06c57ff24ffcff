package io.railrush.app.payment;

import io.railrush.app.messaging.ExternalEvent;
import org.springframework.modulith.NamedInterface;

/**
 * A payment was settled and its order is PAID. Published as an application event inside the
 * settlement's transaction, once per paid order, and so written to the outbox in that transaction.
 */
@NamedInterface("api")
public record PaymentSucceeded(
    String outTradeNo,
    String orderNo,
    String userId,
    String provider,
    long amountCents,
    String couponId)
    implements ExternalEvent {

  @Override
  public String messageId() {
    return "PaymentSucceeded:" + outTradeNo;
  }
}
