package io.railrush.app.payment;

/** A provider's trade state, as settlement needs it. States only move forward. */
enum TradeState {
  /** not paid yet (WeChat NOTPAY/USERPAYING, Alipay WAIT_BUYER_PAY) */
  WAITING,
  /** paid (sim SUCCESS, WeChat SUCCESS, Alipay TRADE_SUCCESS or TRADE_FINISHED) */
  PAID,
  /** the payment failed at the provider (sim FAILED, WeChat PAYERROR) */
  FAILED,
  /**
   * closed without payment or after a full refund (WeChat CLOSED/REVOKED/REFUND, Alipay
   * TRADE_CLOSED)
   */
  CLOSED
}
