package io.railrush.app.payment;

import java.util.List;

/**
 * Wakes settlers for notifications just recorded together. Best effort by design: the inbox table
 * is the record, and {@link InboxRedrive} settles whatever a lost wake-up left behind.
 */
interface SettlementBus {

  void announce(List<PaymentNotificationInbox.Key> recorded);
}
