package io.railrush.app.order;

import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.modulith.NamedInterface;
import org.springframework.stereotype.Service;

/**
 * The seat holders the order side knows, for re-seeding and reconciling seat reservations and for
 * telling a real hold from one in doubt.
 */
@Service
@NamedInterface("api")
public class OrderBook {

  private final OrderRepository orders;
  private final PendingOrders pending;

  OrderBook(OrderRepository orders, PendingOrders pending) {
    this.orders = orders;
    this.pending = pending;
  }

  /**
   * Whether {@code orderNo}, which holds {@code userId}'s seat in the seat store, is an order that
   * exists and holds a seat (CREATED or PAID) or one confirmed on its way to the writer. False for
   * a hold in doubt: its node died before the hand-over, the hand-over's outcome is unknown, or its
   * order failed and the seat is about to come back.
   *
   * @throws io.railrush.kit.BackendUnavailableException the shared tier is unreachable
   */
  public boolean confirmsHold(String userId, String orderNo) {
    Optional<Order> written = orders.find(orderNo);
    if (written.isPresent()) {
      Order order = written.get();
      return order.userId().equals(userId)
          && (order.status() == OrderStatus.CREATED || order.status() == OrderStatus.PAID);
    }
    return !pending.inFlight(List.of(orderNo)).isEmpty();
  }

  /**
   * Which of {@code orderNos} are not written yet but confirmed on their way to the writer (their
   * message may sit in a consumer's prefetch, out of the queue's count): a seat held for one of
   * them is not to be taken back.
   *
   * @throws io.railrush.kit.BackendUnavailableException the shared tier is unreachable
   */
  public Set<String> inFlight(Collection<String> orderNos) {
    Set<String> unwritten = new HashSet<>(orderNos);
    unwritten.removeAll(orders.ownersOf(unwritten).keySet());
    return pending.inFlight(unwritten);
  }

  /**
   * Which of {@code orderNos} are neither written (in any status) nor confirmed on their way to the
   * writer: whatever they hold ahead of the database, no order event will ever release.
   *
   * @throws io.railrush.kit.BackendUnavailableException the shared tier is unreachable
   */
  public Set<String> neverArrived(Collection<String> orderNos) {
    Set<String> unwritten = new HashSet<>(orderNos);
    unwritten.removeAll(orders.ownersOf(unwritten).keySet());
    unwritten.removeAll(pending.inFlight(unwritten));
    return unwritten;
  }

  /** user → order number, for every order of the run that holds a seat (CREATED or PAID). */
  public Map<String, String> activeHolders(String runId) {
    return orders.activeHolders(runId);
  }
}
