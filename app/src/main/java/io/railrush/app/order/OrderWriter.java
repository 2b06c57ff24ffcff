package io.railrush.app.order;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.railrush.app.catalog.SeatLedger;
import io.railrush.app.grab.GrabAccepted;
import io.railrush.app.grab.GrabAcceptedWriter;
import io.railrush.app.grab.PendingGrabs;
import io.railrush.app.grab.SeatHolds;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The order role: turns a batch of accepted grabs into orders in one transaction. Per run, in run
 * order (no deadlocks between writers): lock the run's row, take as many seats as the batch needs
 * and the run has left ({@code sold + n <= seats}), write CREATED orders first come first served
 * and FAILED ones, with their reason, for the rest. Grabs already written are skipped, so
 * redelivery changes nothing; a user's second active order is refused here and by the unique key.
 * The seats of FAILED orders go back to the seat store after commit.
 */
@Component
class OrderWriter implements GrabAcceptedWriter {

  private final OrderRepository orders;
  private final SeatLedger ledger;
  private final SeatHolds seats;
  private final PendingGrabs pending;
  private final TransactionTemplate transactions;
  private final Clock clock;
  private final Counter created;
  private final Counter failed;

  OrderWriter(
      OrderRepository orders,
      SeatLedger ledger,
      SeatHolds seats,
      PendingGrabs pending,
      TransactionTemplate transactions,
      Clock clock,
      MeterRegistry meters) {
    this.orders = orders;
    this.ledger = ledger;
    this.seats = seats;
    this.pending = pending;
    this.transactions = transactions;
    this.clock = clock;
    this.created =
        Counter.builder("railrush.orders.written").tag("status", "CREATED").register(meters);
    this.failed =
        Counter.builder("railrush.orders.written").tag("status", "FAILED").register(meters);
  }

  @Override
  public void write(List<GrabAccepted> batch) {
    transactions.executeWithoutResult(tx -> writeInTransaction(batch));
  }

  private void writeInTransaction(List<GrabAccepted> batch) {
    Map<String, GrabAccepted> unique = new LinkedHashMap<>();
    batch.forEach(grab -> unique.putIfAbsent(grab.orderNo(), grab));
    unique.keySet().removeAll(orders.existing(unique.keySet()));
    if (unique.isEmpty()) {
      return;
    }
    Map<String, List<GrabAccepted>> byRun = new TreeMap<>();
    unique.values().stream()
        .sorted(Comparator.comparing(GrabAccepted::orderNo))
        .forEach(grab -> byRun.computeIfAbsent(grab.runId(), r -> new ArrayList<>()).add(grab));
    Set<String> abandoned = pending.abandoned(unique.keySet());
    long now = clock.millis();
    List<OrderRepository.NewOrder> rows = new ArrayList<>(unique.size());
    List<GrabAccepted> toRelease = new ArrayList<>();
    byRun.forEach(
        (runId, grabs) -> {
          Map<String, String> holding =
              orders.activeHoldersAmong(runId, grabs.stream().map(GrabAccepted::userId).toList());
          List<GrabAccepted> candidates = new ArrayList<>();
          Set<String> usersInBatch = new HashSet<>();
          for (GrabAccepted grab : grabs) {
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
              toRelease.add(grab);
            }
          }
          int granted = candidates.isEmpty() ? 0 : ledger.take(runId, candidates.size());
          for (int i = 0; i < candidates.size(); i++) {
            GrabAccepted grab = candidates.get(i);
            if (i < granted) {
              rows.add(row(grab, OrderStatus.CREATED, null, now));
            } else {
              rows.add(row(grab, OrderStatus.FAILED, "sold out at the database guard", now));
              toRelease.add(grab);
            }
          }
        });
    orders.insertAll(rows);
    long createdCount = rows.stream().filter(r -> r.status() == OrderStatus.CREATED).count();
    TransactionSynchronizationManager.registerSynchronization(
        new TransactionSynchronization() {
          @Override
          public void afterCommit() {
            created.increment(createdCount);
            failed.increment(rows.size() - createdCount);
            toRelease.forEach(
                grab -> seats.releaseQuietly(grab.runId(), grab.userId(), grab.orderNo()));
          }
        });
  }

  private static OrderRepository.NewOrder row(
      GrabAccepted grab, OrderStatus status, String reason, long now) {
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
