package io.railrush.app.payment;

/**
 * Wakes a settler for a recorded notification. Best effort by design: the inbox table is the
 * record, and {@link InboxRedrive} settles whatever a lost wake-up left behind.
 */
interface SettlementBus {

  void announce(PaymentNotificationInbox.Key key);
}
