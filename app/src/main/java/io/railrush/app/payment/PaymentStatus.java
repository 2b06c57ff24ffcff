package io.railrush.app.payment;

/** PENDING → PAID | FAILED | REVIEW | REFUND_NEEDED; nothing moves a payment back to PENDING. */
enum PaymentStatus {
  /** created, waiting for the provider */
  PENDING,
  /** settled: the order is PAID */
  PAID,
  /** the provider says it failed or was closed unpaid; the order may be paid by another attempt */
  FAILED,
  /** the provider's word does not match ours (amount, merchant): a person looks */
  REVIEW,
  /** paid for an order that is no longer payable (cancelled first, or paid by another attempt) */
  REFUND_NEEDED
}
