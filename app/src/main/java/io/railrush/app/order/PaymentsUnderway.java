package io.railrush.app.order;

import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.springframework.modulith.NamedInterface;

/**
 * Asked by the payment-window sweeper before it cancels: has the provider reported a payment of the
 * order, by a notification whose request arrived before the window ended, that is still being
 * settled? Settlement runs behind the answers (the peak is shaved through a queue), so in a rush a
 * buyer who paid in time may not be PAID yet when the window ends; cancelling then would refund a
 * paying buyer and sell the seat again. Implemented by the payments module; the order module never
 * calls into it otherwise.
 */
@NamedInterface("api")
public interface PaymentsUnderway {

  /**
   * The orders among {@code windowEnds} (order number → the end of its payment window) with such a
   * payment recorded and committed: one read for a page of orders, no locks. An order not named
   * here may still have one being recorded at this moment: ask {@link #reportedPaidBy} before
   * cancelling it.
   */
  Set<String> among(Map<String, Instant> windowEnds);

  /**
   * The same question for one order, asked in the transaction that would cancel it: it locks the
   * order's payments first, so a notification being recorded for them at that moment is waited for
   * and counted.
   */
  boolean reportedPaidBy(String orderNo, Instant windowEnd);
}
