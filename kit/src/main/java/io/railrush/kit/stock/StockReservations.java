package io.railrush.kit.stock;

import io.railrush.kit.redis.RedisConnector;
import io.railrush.kit.stock.internal.InProcessStockReservations;
import io.railrush.kit.stock.internal.RedisStockReservations;
import java.util.Map;

/**
 * Seat pre-deduction for flash sales (秒杀): in one atomic step, a user who holds no seat on the run
 * takes one if any is left. Guarantees: reservations never exceed the loaded stock; a user holds at
 * most one reservation per run; a release returns exactly the seat of that order.
 */
public interface StockReservations {

  /**
   * Sets the run's stock to {@code seats} minus the reservations held right now, in one step (on
   * sale, or re-seeding from the database while other nodes may be reserving): a held seat is never
   * offered twice.
   */
  default void load(String runId, long seats) {
    restore(runId, seats, Map.of());
  }

  /**
   * Re-seeds the run from the source of truth after the counter was lost (Redis restart, flush) or
   * drifted: records each of {@code holders} (user → order) whose user holds nothing here yet, then
   * sets the stock to {@code seats} minus every seat held, in one step.
   */
  void restore(String runId, long seats, Map<String, String> holders);

  /** Who holds a seat on the run right now: user → order number. */
  Map<String, String> holders(String runId);

  ReserveResult reserve(String runId, String userId, String orderNo);

  /** Gives the seat back if {@code orderNo} still holds it; true when a seat was returned. */
  boolean release(String runId, String userId, String orderNo);

  /** Seats left, or −1 when not loaded. */
  long remaining(String runId);

  static StockReservations inProcess() {
    return new InProcessStockReservations();
  }

  static StockReservations redis(RedisConnector redis, String keyPrefix) {
    return new RedisStockReservations(redis, keyPrefix);
  }
}
