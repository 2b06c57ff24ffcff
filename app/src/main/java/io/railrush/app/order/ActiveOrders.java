package io.railrush.app.order;

import io.railrush.app.grab.OrderBook;
import java.util.Map;
import org.springframework.stereotype.Component;

/** The seat holders the database knows, for re-seeding and reconciling the seat store. */
@Component
class ActiveOrders implements OrderBook {

  private final OrderRepository orders;

  ActiveOrders(OrderRepository orders) {
    this.orders = orders;
  }

  @Override
  public Map<String, String> activeHolders(String runId) {
    return orders.activeHolders(runId);
  }
}
