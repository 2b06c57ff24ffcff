package io.railrush.app.order;

import io.railrush.app.catalog.SeatLedger;
import io.railrush.app.grab.SeatHolds;
import java.time.Clock;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * CREATED → CANCELLED (by its owner, or when the payment window ends) and the seat returned: to the
 * database in the same transaction, to the seat store after commit (if that is lost, the reconciler
 * returns it). Only the call that moves the order out of CREATED returns a seat.
 */
@Component
class OrderCancellation {

  private final OrderRepository orders;
  private final SeatLedger ledger;
  private final SeatHolds seats;
  private final TransactionTemplate transactions;
  private final Clock clock;

  OrderCancellation(
      OrderRepository orders,
      SeatLedger ledger,
      SeatHolds seats,
      TransactionTemplate transactions,
      Clock clock) {
    this.orders = orders;
    this.ledger = ledger;
    this.seats = seats;
    this.transactions = transactions;
    this.clock = clock;
  }

  /** True when this call cancelled the order (false: it was not CREATED any more). */
  boolean cancel(Order order, String reason) {
    Boolean cancelled =
        transactions.execute(
            tx -> {
              if (!orders.cancel(order.orderNo(), reason, clock.instant())) {
                return false;
              }
              ledger.giveBack(order.runId());
              TransactionSynchronizationManager.registerSynchronization(
                  new TransactionSynchronization() {
                    @Override
                    public void afterCommit() {
                      seats.releaseQuietly(order.runId(), order.userId(), order.orderNo());
                    }
                  });
              return true;
            });
    return Boolean.TRUE.equals(cancelled);
  }
}
