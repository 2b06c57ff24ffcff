package io.railrush.app.order;

import io.railrush.kit.BackendUnavailableException;
import java.time.Instant;
import java.util.Optional;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.modulith.NamedInterface;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/** What payments may know and do to an order: read what is owed, and mark it paid. */
@Service
@NamedInterface("api")
public class OrderPayments {

  /** An order as payment sees it. */
  @NamedInterface("api")
  public record PayableOrder(
      String orderNo, String userId, OrderStatus status, long amountCents, String couponId) {}

  /** What {@link #markPaid} did. */
  @NamedInterface("api")
  public enum Marked {
    /** CREATED → PAID by this call */
    PAID,
    /** it was PAID already */
    ALREADY_PAID,
    /** it is CANCELLED or FAILED (or unknown): the money must go back */
    NOT_PAYABLE
  }

  private final OrderRepository orders;
  private final PendingOrders pending;
  private final ApplicationEventPublisher events;

  OrderPayments(OrderRepository orders, PendingOrders pending, ApplicationEventPublisher events) {
    this.orders = orders;
    this.pending = pending;
    this.events = events;
  }

  /** What {@link #markPaid} did, and the order as it is now (null when there is none). */
  @NamedInterface("api")
  public record Marking(Marked outcome, PayableOrder order) {}

  /** The order, written or still PENDING (not payable until it is CREATED). */
  public Optional<PayableOrder> find(String orderNo) {
    return orders
        .find(orderNo)
        .map(OrderPayments::payable)
        .or(
            () ->
                pendingQuietly(orderNo)
                    .map(
                        request ->
                            new PayableOrder(
                                request.orderNo(),
                                request.userId(),
                                OrderStatus.PENDING,
                                request.amountCents(),
                                request.couponId())));
  }

  /** Unknown while the shared tier is unreachable: the order appears once written. */
  private Optional<OrderRequest> pendingQuietly(String orderNo) {
    try {
      return pending.find(orderNo);
    } catch (BackendUnavailableException unreachable) {
      return Optional.empty();
    }
  }

  /**
   * CREATED → PAID, only if still CREATED, in the caller's transaction (the payment's own state
   * change and this commit together); announces {@link OrderPaid}.
   */
  @Transactional(propagation = Propagation.MANDATORY)
  public Marking markPaid(String orderNo, Instant paidAt) {
    boolean paid = orders.markPaid(orderNo, paidAt);
    Optional<Order> order = orders.find(orderNo);
    if (paid) {
      Order now = order.orElseThrow();
      events.publishEvent(
          new OrderPaid(
              now.orderNo(), now.runId(), now.userId(), now.amountCents(), now.couponId()));
      return new Marking(Marked.PAID, payable(now));
    }
    Marked outcome =
        order.filter(o -> o.status() == OrderStatus.PAID).isPresent()
            ? Marked.ALREADY_PAID
            : Marked.NOT_PAYABLE;
    return new Marking(outcome, order.map(OrderPayments::payable).orElse(null));
  }

  private static PayableOrder payable(Order order) {
    return new PayableOrder(
        order.orderNo(), order.userId(), order.status(), order.amountCents(), order.couponId());
  }
}
