package io.railrush.app.order;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.railrush.app.catalog.SeatLedger;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The order role: turns a batch of accepted grabs into orders in one transaction. Per run, in run
 * order (no deadlocks between writers): lock the run's row, take as many seats as the batch needs
 * and the run has left ({@code sold + n <= seats}), write CREATED orders first come first served
 * and FAILED ones, with their reason, for the rest. Grabs already written for the same user are
 * skipped, so redelivery changes nothing (the same number written for another user is a collision,
 * {@link OrderNumberCollided}); a user's second active order is refused here and by the unique key.
 * Each order written is announced ({@link OrderCreated}, {@link OrderFailed}) in the transaction;
 * the reservation of a FAILED order is returned by whoever listens after commit.
 */
@Component
class OrderWriter {

  private static final Logger log = LoggerFactory.getLogger(OrderWriter.class);

  private final OrderRepository orders;
  private final SeatLedger ledger;
  private final PendingOrders pending;
  private final ApplicationEventPublisher events;
  private final TransactionTemplate transactions;
  private final Clock clock;
  private final Counter created;
  private final Counter failed;
  private final Counter collisions;
  private final Timer lag;

  OrderWriter(
      OrderRepository orders,
      SeatLedger ledger,
      PendingOrders pending,
      ApplicationEventPublisher events,
      TransactionTemplate transactions,
      Clock clock,
      MeterRegistry meters) {
    this.orders = orders;
    this.ledger = ledger;
    this.pending = pending;
    this.events = events;
    this.transactions = transactions;
    this.clock = clock;
    this.created =
        Counter.builder("railrush.orders.written").tag("status", "CREATED").register(meters);
    this.failed =
        Counter.builder("railrush.orders.written").tag("status", "FAILED").register(meters);
    this.lag =
        Timer.builder("railrush.orders.write.lag")
            .description("from a grab's 202 to its order's commit: how far the writer is behind")
            .register(meters);
    this.collisions =
        Counter.builder("railrush.orders.number.collisions")
            .description("accepted grabs whose order number another user's order already had")
            .register(meters);
  }

  void write(List<OrderRequest> batch) {
    transactions.executeWithoutResult(tx -> writeInTransaction(batch));
  }

  private void writeInTransaction(List<OrderRequest> batch) {
    Map<String, OrderRequest> unique = new LinkedHashMap<>();
    List<OrderRequest> collided = new ArrayList<>();
    for (OrderRequest grab : batch) {
      OrderRequest first = unique.putIfAbsent(grab.orderNo(), grab);
      if (first != null && !first.userId().equals(grab.userId())) {
        collided.add(grab);
      }
    }
    // a number already written is a redelivery only if it is the same user's; another user's is
    // a collision, and skipping it as a redelivery would drop a 202 without a trace
    orders
        .ownersOf(unique.keySet())
        .forEach(
            (orderNo, owner) -> {
              OrderRequest grab = unique.remove(orderNo);
              if (!owner.equals(grab.userId())) {
                collided.add(grab);
              }
            });
    collided.forEach(this::collision);
    if (unique.isEmpty()) {
      return;
    }
    Map<String, List<OrderRequest>> byRun = new TreeMap<>();
    unique.values().stream()
        .sorted(Comparator.comparing(OrderRequest::orderNo))
        .forEach(grab -> byRun.computeIfAbsent(grab.runId(), r -> new ArrayList<>()).add(grab));
    Set<String> abandoned = pending.abandoned(unique.keySet());
    long now = clock.millis();
    List<OrderRepository.NewOrder> rows = new ArrayList<>(unique.size());
    byRun.forEach(
        (runId, grabs) -> {
          Map<String, String> holding =
              orders.activeHoldersAmong(runId, grabs.stream().map(OrderRequest::userId).toList());
          List<OrderRequest> candidates = new ArrayList<>();
          Set<String> usersInBatch = new HashSet<>();
          for (OrderRequest grab : grabs) {
            String reason = null;
            if (holding.containsKey(grab.userId()) || !usersInBatch.add(grab.userId())) {
              reason = "already holds an order on this run";
            } else if (abandoned.contains(grab.orderNo())) {
              reason = "not confirmed by the message bus; the grab was answered 503";
            }
            if (reason == null) {
              candidates.add(grab);
            } else {
              rows.add(row(grab, OrderStatus.FAILED, reason, now));
            }
          }
          int granted = candidates.isEmpty() ? 0 : ledger.take(runId, candidates.size());
          for (int i = 0; i < candidates.size(); i++) {
            OrderRequest grab = candidates.get(i);
            if (i < granted) {
              rows.add(row(grab, OrderStatus.CREATED, null, now));
            } else {
              rows.add(row(grab, OrderStatus.FAILED, "sold out at the database guard", now));
            }
          }
        });
    orders.insertAll(rows);
    rows.forEach(row -> events.publishEvent(announcement(row)));
    long createdCount = rows.stream().filter(r -> r.status() == OrderStatus.CREATED).count();
    List<OrderRequest> written = List.copyOf(unique.values());
    TransactionSynchronizationManager.registerSynchronization(
        new TransactionSynchronization() {
          @Override
          public void afterCommit() {
            created.increment(createdCount);
            failed.increment(rows.size() - createdCount);
            long committedAt = clock.millis();
            for (OrderRequest grab : written) {
              lag.record(Math.max(0, committedAt - grab.acceptedAtMs()), TimeUnit.MILLISECONDS);
            }
          }
        });
  }

  private void collision(OrderRequest grab) {
    log.error(
        "order number {} of user {} is already another user's order: not written",
        grab.orderNo(),
        grab.userId());
    collisions.increment();
    events.publishEvent(
        new OrderNumberCollided(grab.orderNo(), grab.runId(), grab.userId(), grab.couponId()));
  }

  private static Object announcement(OrderRepository.NewOrder row) {
    return row.status() == OrderStatus.CREATED
        ? new OrderCreated(
            row.orderNo(), row.runId(), row.userId(), row.amountCents(), row.couponId())
        : new OrderFailed(row.orderNo(), row.runId(), row.userId(), row.failureReason());
  }

  private static OrderRepository.NewOrder row(
      OrderRequest grab, OrderStatus status, String reason, long now) {
    return new OrderRepository.NewOrder(
        grab.orderNo(),
        grab.runId(),
        grab.userId(),
        status,
        grab.amountCents(),
        grab.couponId(),
        grab.acceptedAtMs(),
        now,
        reason);
  }
}
