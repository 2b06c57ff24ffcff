package io.railrush.app.order;

import io.railrush.app.catalog.SeatLedger;
import java.time.Clock;
import java.util.function.BooleanSupplier;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * CREATED → CANCELLED (by its owner, or when the payment window ends) and the seat returned to the
 * database in the same transaction, announced as {@link OrderCancelled} (the reservation ahead of
 * the database is returned by its listener after commit; if that is lost, the reconciler returns
 * it). Only the call that moves the order out of CREATED returns a seat.
 */
@Component
class OrderCancellation {

  private final OrderRepository orders;
  private final SeatLedger ledger;
  private final ApplicationEventPublisher events;
  private final TransactionTemplate transactions;
  private final Clock clock;

  OrderCancellation(
      OrderRepository orders,
      SeatLedger ledger,
      ApplicationEventPublisher events,
      TransactionTemplate transactions,
      Clock clock) {
    this.orders = orders;
    this.ledger = ledger;
    this.events = events;
    // READ COMMITTED whatever the database's default: the payments check reads after waiting for
    // a payment's lock and must see what committed meanwhile (InnoDB's REPEATABLE READ would keep
    // the snapshot of the transaction's first read)
    this.transactions = new TransactionTemplate(transactions.getTransactionManager());
    this.transactions.setIsolationLevel(TransactionDefinition.ISOLATION_READ_COMMITTED);
    this.clock = clock;
  }

  /** True when this call cancelled the order (false: it was not CREATED any more). */
  boolean cancel(Order order, String reason) {
    return cancelUnless(order, reason, () -> false);
  }

  /**
   * As {@link #cancel}, unless {@code spared} — asked first, in the cancelling transaction — says
   * the order must stay.
   */
  boolean cancelUnless(Order order, String reason, BooleanSupplier spared) {
    Boolean cancelled =
        transactions.execute(
            tx -> {
              if (spared.getAsBoolean()
                  || !orders.cancel(order.orderNo(), reason, clock.instant())) {
                return false;
              }
              ledger.giveBack(order.runId());
              events.publishEvent(
                  new OrderCancelled(order.orderNo(), order.runId(), order.userId(), reason));
              return true;
            });
    return Boolean.TRUE.equals(cancelled);
  }
}
