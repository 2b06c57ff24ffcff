package io.railrush.app.promo;

import io.railrush.app.messaging.ExternalEvent;
import org.springframework.modulith.NamedInterface;

/**
 * A coupon was reserved for an order's grab (AVAILABLE → RESERVED), written to the outbox in the
 * transaction of the reservation.
 */
@NamedInterface("api")
public record CouponReserved(String couponId, String userId, String orderNo)
    implements ExternalEvent {

  @Override
  public String messageId() {
    return "CouponReserved:" + couponId + ":" + orderNo;
  }
}
