package io.railrush.app.order;

import java.util.Map;
import org.springframework.modulith.NamedInterface;
import org.springframework.stereotype.Service;

/** The seat holders the database knows, for re-seeding and reconciling seat reservations. */
@Service
@NamedInterface("api")
public class OrderBook {

  private final OrderRepository orders;

  OrderBook(OrderRepository orders) {
    this.orders = orders;
  }

  /** user → order number, for every order of the run that holds a seat (CREATED or PAID). */
  public Map<String, String> activeHolders(String runId) {
    return orders.activeHolders(runId);
  }
}
