package io.railrush.app.order;

import java.util.List;
import org.springframework.modulith.NamedInterface;
import org.springframework.stereotype.Service;

/**
 * How accepted seats become orders: the grab pipeline hands each accepted request over (then
 * remembers it as PENDING), and the consumer of its bus writes them in batches. Writing is
 * idempotent per order number, so a redelivered batch changes nothing.
 */
@Service
@NamedInterface("api")
public class OrderIntake {

  private final OrderWriter writer;
  private final PendingOrders pending;

  OrderIntake(OrderWriter writer, PendingOrders pending) {
    this.writer = writer;
    this.pending = pending;
  }

  /**
   * Writes the batch in one transaction (joining the caller's if there is one): CREATED while the
   * run has seats, FAILED with a reason otherwise. Announces {@link OrderCreated} and {@link
   * OrderFailed} for each order written.
   */
  public void write(List<OrderRequest> batch) {
    writer.write(batch);
  }

  /**
   * Shows the request to its owner as a PENDING order until it is written; called once its
   * hand-over is confirmed, before the caller is answered.
   *
   * @throws io.railrush.kit.BackendUnavailableException the shared tier is unreachable
   */
  public void rememberPending(OrderRequest request) {
    pending.remember(request);
  }

  /**
   * Marks a request whose hand-over was not confirmed and whose caller was refused: if it still
   * arrives, it is written FAILED.
   */
  public void abandon(String orderNo) {
    pending.abandon(orderNo);
  }
}
