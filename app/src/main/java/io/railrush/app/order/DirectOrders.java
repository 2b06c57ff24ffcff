package io.railrush.app.order;

import io.railrush.app.catalog.SeatLedger;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.modulith.NamedInterface;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The naive baseline ({@code railrush.grab.strategy=db-direct}): each request is one transaction on
 * the run's hot row — conditional {@code sold < seats} update, order insert — with none of the
 * pipeline's gate in front: no per-user window, no token bucket, no seat reservation ahead of the
 * database (the checks every grab gets still apply: token, run, sale window, Idempotency-Key,
 * coupon). Correct (the database guards it) but bounded by how fast one row can be updated; kept to
 * measure the pipeline against.
 */
@Service
@NamedInterface("api")
public class DirectOrders {

  /** What one direct attempt did. */
  @NamedInterface("api")
  public sealed interface Placed {}

  /** Written CREATED. */
  @NamedInterface("api")
  public record Created(String orderNo) implements Placed {}

  /** The user already holds {@code orderNo} on this run. */
  @NamedInterface("api")
  public record AlreadyHolding(String orderNo) implements Placed {}

  /** No seat left. */
  @NamedInterface("api")
  public record SoldOut() implements Placed {}

  /** The same user's concurrent attempt was being written; retrying answers which one won. */
  @NamedInterface("api")
  public record Conflict() implements Placed {}

  private final OrderRepository orders;
  private final SeatLedger ledger;
  private final TransactionTemplate transactions;
  private final ApplicationEventPublisher events;
  private final Clock clock;

  DirectOrders(
      OrderRepository orders,
      SeatLedger ledger,
      TransactionTemplate transactions,
      ApplicationEventPublisher events,
      Clock clock) {
    this.orders = orders;
    this.ledger = ledger;
    this.transactions = transactions;
    this.events = events;
    this.clock = clock;
  }

  public Placed place(OrderRequest request) {
    try {
      return transactions.execute(
          tx -> {
            Map<String, String> holding =
                orders.activeHoldersAmong(request.runId(), List.of(request.userId()));
            if (!holding.isEmpty()) {
              return new AlreadyHolding(holding.get(request.userId()));
            }
            if (ledger.take(request.runId(), 1) == 0) {
              return new SoldOut();
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
            events.publishEvent(
                new OrderCreated(
                    request.orderNo(),
                    request.runId(),
                    request.userId(),
                    request.amountCents(),
                    request.couponId()));
            return new Created(request.orderNo());
          });
    } catch (DuplicateKeyException concurrentSecondOrder) {
      // the same user's concurrent grab won the unique key; the rollback returned this seat
      return orders.activeHoldersAmong(request.runId(), List.of(request.userId())).values().stream()
          .findFirst()
          .<Placed>map(AlreadyHolding::new)
          .orElseGet(Conflict::new);
    }
  }
}
