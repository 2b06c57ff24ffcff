package io.railrush.app.payment;

import java.util.List;

/**
 * Wakes settlers for notifications just recorded together. Best effort by design: the inbox table
 * is the record, and {@link InboxRedrive} settles whatever a lost wake-up left behind.
 */
interface SettlementBus {

  /** Returns at once, whatever the bus's backend is doing; never throws. */
  void announce(List<PaymentNotificationInbox.Key> recorded);
}
