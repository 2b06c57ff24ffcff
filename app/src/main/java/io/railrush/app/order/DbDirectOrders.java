package io.railrush.app.order;

import io.railrush.app.catalog.SeatLedger;
import io.railrush.app.grab.DirectGrab;
import io.railrush.app.grab.GrabAccepted;
import io.railrush.app.grab.GrabOutcome;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The naive baseline ({@code railrush.grab.strategy=db-direct}, the seed's 3.3 flow): each request
 * is one transaction on the run's hot row — conditional update, insert — with no gate in front.
 * Correct (the database guards it) but bounded by how fast one row can be updated.
 */
@Component
class DbDirectOrders implements DirectGrab {

  private final OrderRepository orders;
  private final SeatLedger ledger;
  private final TransactionTemplate transactions;
  private final Clock clock;

  DbDirectOrders(
      OrderRepository orders, SeatLedger ledger, TransactionTemplate transactions, Clock clock) {
    this.orders = orders;
    this.ledger = ledger;
    this.transactions = transactions;
    this.clock = clock;
  }

  @Override
  public GrabOutcome grab(GrabAccepted request) {
    try {
      return transactions.execute(
          tx -> {
            Map<String, String> holding =
                orders.activeHoldersAmong(request.runId(), List.of(request.userId()));
            if (!holding.isEmpty()) {
              return GrabOutcome.alreadyHolding(holding.get(request.userId()));
            }
            if (ledger.take(request.runId(), 1) == 0) {
              return GrabOutcome.soldOut();
            }
            orders.insertAll(
                List.of(
                    new OrderRepository.NewOrder(
                        request.orderNo(),
                        request.runId(),
                        request.userId(),
                        OrderStatus.CREATED,
                        request.amountCents(),
                        request.couponId(),
                        request.acceptedAtMs(),
                        clock.millis(),
                        null)));
            return GrabOutcome.accepted(request.orderNo(), OrderStatus.CREATED.name());
          });
    } catch (DuplicateKeyException concurrentSecondOrder) {
      // the same user's concurrent grab won the unique key; the rollback returned this seat
      return orders.activeHoldersAmong(request.runId(), List.of(request.userId())).values().stream()
          .findFirst()
          .map(GrabOutcome::alreadyHolding)
          .orElseGet(() -> GrabOutcome.busy("conflicting grab; retry"));
    }
  }
}
