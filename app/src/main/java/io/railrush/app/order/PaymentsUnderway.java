package io.railrush.app.order;

import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.springframework.modulith.NamedInterface;

/**
 * Asked by the payment-window sweeper before it cancels: which of these orders have a payment the
 * provider already reported and that is still being settled. Settlement runs behind the answers
 * (the peak is shaved through a queue), so in a rush a buyer who paid in time may not be PAID yet
 * when the window ends; cancelling then would refund a paying buyer and sell the seat again.
 * Implemented by the payments module; the order module never calls into it otherwise.
 */
@NamedInterface("api")
public interface PaymentsUnderway {

  /**
   * The orders among {@code windowEnds} (order number → the end of its payment window) with a
   * payment reported by the provider before that end and not settled yet.
   */
  Set<String> among(Map<String, Instant> windowEnds);
}
