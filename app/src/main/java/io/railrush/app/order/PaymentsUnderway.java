package io.railrush.app.order;

import java.time.Instant;
import org.springframework.modulith.NamedInterface;

/**
 * Asked by the payment-window sweeper inside the transaction that would cancel an order: has the
 * provider reported a payment of it before the window ended that is still being settled? Settlement
 * runs behind the answers (the peak is shaved through a queue), so in a rush a buyer who paid in
 * time may not be PAID yet when the window ends; cancelling then would refund a paying buyer and
 * sell the seat again. Implemented by the payments module; the order module never calls into it
 * otherwise.
 */
@NamedInterface("api")
public interface PaymentsUnderway {

  /**
   * True when a payment of {@code orderNo} was reported paid by a notification whose request
   * arrived by {@code windowEnd} and is not settled yet. Called in the cancelling transaction; it
   * locks the order's payments first, so a notification being recorded for them at that moment is
   * waited for and counted.
   */
  boolean reportedPaidBy(String orderNo, Instant windowEnd);
}
