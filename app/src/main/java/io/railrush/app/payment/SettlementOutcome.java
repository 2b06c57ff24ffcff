package io.railrush.app.payment;

/** What settling one notification did. */
enum SettlementOutcome {
  /** the payment and its order are PAID now */
  APPLIED,
  /** this trade was settled before (a retry, a duplicate, a second node): nothing changed */
  DUPLICATE,
  /** nothing to do (not paid yet, or a state that changes nothing) */
  IGNORED,
  /** recorded for a person: unknown trade, amount or merchant mismatch, failed at the provider */
  REVIEW,
  /** money taken for an order that is no longer payable: it must be refunded */
  REFUND_NEEDED
}
