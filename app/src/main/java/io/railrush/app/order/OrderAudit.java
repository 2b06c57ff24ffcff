package io.railrush.app.order;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.modulith.NamedInterface;
import org.springframework.stereotype.Service;

/** Order counts straight from the database, for the run audit. */
@NamedInterface("api")
@Service
public class OrderAudit {

  private final OrderRepository orders;

  OrderAudit(OrderRepository orders) {
    this.orders = orders;
  }

  /** Every status with its count (zero included); PENDING orders are never rows of the database. */
  public Map<String, Long> ordersByStatus(String runId) {
    Map<String, Long> counts = orders.countByStatus(runId);
    Map<String, Long> all = new LinkedHashMap<>();
    for (OrderStatus status : OrderStatus.values()) {
      all.put(status.name(), counts.getOrDefault(status.name(), 0L));
    }
    return all;
  }

  public long usersWithMoreThanOneActiveOrder(String runId) {
    return orders.usersWithMoreThanOneActiveOrder(runId);
  }

  /** A PAID order, for audits of what payment must have caused elsewhere. */
  public record PaidOrder(String orderNo, String userId, String couponId) {}

  /** Every PAID order of every run. */
  public List<PaidOrder> paidOrders() {
    return orders.paid();
  }
}
