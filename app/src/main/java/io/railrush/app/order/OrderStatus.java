package io.railrush.app.order;

/** PENDING (accepted, not yet written) → CREATED (awaiting payment) → PAID | CANCELLED | FAILED. */
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
