package io.railrush.app.promo;

import org.springframework.modulith.NamedInterface;

/** A coupon's life: AVAILABLE → RESERVED (by an unpaid order) → USED; RESERVED → AVAILABLE. */
@NamedInterface("api")
public enum CouponStatus {
  AVAILABLE,
  RESERVED,
  USED
}
