package io.railrush.app.order;

import io.railrush.app.identity.AuthenticatedUser;
import io.railrush.app.identity.Caller;
import io.railrush.app.web.ApiException;
import io.railrush.app.web.ErrorCode;
import io.railrush.app.web.Refusals;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/** Orders (docs/api.md): one order, the caller's orders, cancel. */
@RestController
class OrderController {

  private static final int LIST_LIMIT = 200;

  private final OrderRepository orders;
  private final PendingOrders pending;
  private final OrderCancellation cancellation;

  OrderController(OrderRepository orders, PendingOrders pending, OrderCancellation cancellation) {
    this.orders = orders;
    this.pending = pending;
    this.cancellation = cancellation;
  }

  record OrderList(List<Order> orders) {}

  @GetMapping("/api/v1/orders/{orderNo}")
  @Refusals({ErrorCode.UNAUTHORIZED, ErrorCode.NOT_FOUND})
  Order order(Caller caller, @PathVariable String orderNo) {
    return visible(caller, orderNo);
  }

  @GetMapping("/api/v1/orders")
  @Refusals({ErrorCode.UNAUTHORIZED})
  OrderList mine(AuthenticatedUser user) {
    return new OrderList(orders.byUser(user.userId(), LIST_LIMIT));
  }

  @PostMapping("/api/v1/orders/{orderNo}/cancel")
  @Refusals({ErrorCode.UNAUTHORIZED, ErrorCode.NOT_FOUND, ErrorCode.CONFLICT})
  Order cancel(AuthenticatedUser user, @PathVariable String orderNo) {
    Order order = visible(new Caller(user.userId(), false), orderNo);
    switch (order.status()) {
      case PENDING ->
          throw new ApiException(
              ErrorCode.CONFLICT,
              "the order is still being written; retry shortly",
              Duration.ofSeconds(1),
              Map.of());
      case PAID -> throw new ApiException(ErrorCode.CONFLICT, "the order is paid");
      case FAILED ->
          throw new ApiException(ErrorCode.CONFLICT, "the order failed: " + order.failureReason());
      case CANCELLED -> {
        return order;
      }
      case CREATED -> cancellation.cancel(order, "cancelled by the user");
    }
    Order now = orders.find(orderNo).orElseThrow();
    if (now.status() == OrderStatus.PAID) {
      throw new ApiException(ErrorCode.CONFLICT, "the order is paid");
    }
    return now;
  }

  /**
   * The order if the caller owns it or is the admin; others' orders are as unknown as missing ones.
   */
  private Order visible(Caller caller, String orderNo) {
    Optional<Order> order =
        orders.find(orderNo).or(() -> pending.find(orderNo).map(OrderController::pendingView));
    if (order.isEmpty() || !caller.mayRead(order.get().userId())) {
      throw ApiException.notFound("order " + orderNo);
    }
    return order.get();
  }

  private static Order pendingView(OrderRequest grab) {
    return new Order(
        grab.orderNo(),
        grab.runId(),
        grab.userId(),
        OrderStatus.PENDING,
        grab.amountCents(),
        grab.couponId(),
        Instant.ofEpochMilli(grab.acceptedAtMs()),
        null,
        null);
  }
}
