package io.railrush.app.order;

import org.springframework.modulith.NamedInterface;

/** PENDING (accepted, not yet written) → CREATED (awaiting payment) → PAID | CANCELLED | FAILED. */
@NamedInterface("api")
public enum OrderStatus {
  PENDING,
  CREATED,
  PAID,
  CANCELLED,
  FAILED;

  /** Whether an order in this status holds a seat. */
  boolean active() {
    return this == CREATED || this == PAID;
  }
}
