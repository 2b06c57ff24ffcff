package io.railrush.app.grab;

import io.railrush.app.catalog.SeatLedger;
import io.railrush.app.order.OrderBook;
import io.railrush.kit.BackendUnavailableException;
import io.railrush.kit.lock.LockHandle;
import io.railrush.kit.lock.LockService;
import io.railrush.kit.stock.ReserveResult;
import io.railrush.kit.stock.StockReservations;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Seats reserved in the fast store (Redis in a cluster), ahead of the database. A run's counter is
 * loaded on its first grab and re-seeded from the database whenever it is missing (Redis restart or
 * flush): seats − active orders − grabs still in the pipeline. The database stays the last guard,
 * so a counter that is briefly too high costs FAILED orders, never an oversold seat.
 */
@Component
class SeatHolds {

  private static final Logger log = LoggerFactory.getLogger(SeatHolds.class);

  private final StockReservations stock;
  private final SeatLedger ledger;
  private final OrderBook orders;
  private final LockService locks;
  private final PipelineBacklog backlog;

  /** Runs this node has seen loaded: missing again means the counter was lost mid-sale. */
  private final Set<String> seenLoaded = ConcurrentHashMap.newKeySet();

  SeatHolds(
      StockReservations stock,
      SeatLedger ledger,
      OrderBook orders,
      LockService locks,
      PipelineBacklog backlog) {
    this.stock = stock;
    this.ledger = ledger;
    this.orders = orders;
    this.locks = locks;
    this.backlog = backlog;
  }

  ReserveResult reserve(String runId, String userId, String orderNo) {
    ReserveResult result = stock.reserve(runId, userId, orderNo);
    if (result.outcome() != ReserveResult.Outcome.NOT_LOADED) {
      seenLoaded.add(runId);
      return result;
    }
    seed(runId);
    return stock.reserve(runId, userId, orderNo);
  }

  /**
   * Gives the seat back if {@code orderNo} still holds it (a failed, cancelled or abandoned order).
   */
  boolean release(String runId, String userId, String orderNo) {
    return stock.release(runId, userId, orderNo);
  }

  /**
   * {@link #release}, for callers that must not fail over it: a release lost here is the
   * reconciler's.
   */
  void releaseQuietly(String runId, String userId, String orderNo) {
    try {
      stock.release(runId, userId, orderNo);
    } catch (BackendUnavailableException unreachable) {
      log.warn(
          "seat of {} not returned now (the reconciler will): {}", orderNo, unreachable.toString());
    }
  }

  long remaining(String runId) {
    return stock.remaining(runId);
  }

  Map<String, String> holders(String runId) {
    return stock.holders(runId);
  }

  /**
   * Loads the counter from the database, once per cluster (the lock) and only if still missing.
   * Grabs in the pipeline are unknown after a flush: when the run was on sale before, the whole
   * backlog is held back as a margin until the reconciler, with the pipeline drained, sets the
   * exact figure.
   */
  private void seed(String runId) {
    Optional<LockHandle> lock =
        locks.tryAcquire("stock-seed:" + runId, Duration.ofSeconds(2), Duration.ofSeconds(10));
    if (lock.isEmpty()) {
      return; // another node is seeding; the retry sees its result or NOT_LOADED again (→ BUSY)
    }
    try (LockHandle held = lock.get()) {
      if (stock.remaining(runId) >= 0) {
        return;
      }
      Map<String, String> active = orders.activeHolders(runId);
      boolean lostMidSale = seenLoaded.contains(runId) || !active.isEmpty();
      long margin = lostMidSale ? backlog.current() : 0; // a first load has nothing in flight
      restore(runId, active, margin);
      log.info(
          "seeded stock of {} from the database (in-flight margin {}): {} left",
          runId,
          margin,
          stock.remaining(runId));
    }
  }

  /** Re-counts the counter: database seats − (current holders ∪ active orders). */
  void recount(String runId) {
    restore(runId, orders.activeHolders(runId), 0);
  }

  private void restore(String runId, Map<String, String> active, long margin) {
    ledger
        .read(runId)
        .ifPresent(seats -> stock.restore(runId, Math.max(0, seats.seats() - margin), active));
  }
}
