package io.railrush.kit.stock.internal;

import io.railrush.kit.stock.ReserveResult;
import io.railrush.kit.stock.ReserveResult.Outcome;
import io.railrush.kit.stock.StockReservations;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The embedded-mode equivalent of the Redis script: one monitor per run. */
public final class InProcessStockReservations implements StockReservations {

  private static final class RunStock {
    long left;
    final Map<String, String> holders = new HashMap<>();
  }

  private final ConcurrentHashMap<String, RunStock> runs = new ConcurrentHashMap<>();

  @Override
  public void restore(String runId, long seats, Map<String, String> holders) {
    RunStock stock = runs.computeIfAbsent(runId, r -> new RunStock());
    synchronized (stock) {
      holders.forEach(stock.holders::putIfAbsent);
      stock.left = Math.max(0, seats - stock.holders.size());
    }
  }

  @Override
  public Map<String, String> holders(String runId) {
    RunStock stock = runs.get(runId);
    if (stock == null) {
      return Map.of();
    }
    synchronized (stock) {
      return Map.copyOf(stock.holders);
    }
  }

  @Override
  public ReserveResult reserve(String runId, String userId, String orderNo) {
    RunStock stock = runs.get(runId);
    if (stock == null) {
      return new ReserveResult(Outcome.NOT_LOADED, null, -1);
    }
    synchronized (stock) {
      String held = stock.holders.get(userId);
      if (held != null) {
        return new ReserveResult(Outcome.ALREADY_HOLDING, held, stock.left);
      }
      if (stock.left <= 0) {
        return new ReserveResult(Outcome.SOLD_OUT, null, 0);
      }
      stock.left--;
      stock.holders.put(userId, orderNo);
      return new ReserveResult(Outcome.RESERVED, orderNo, stock.left);
    }
  }

  @Override
  public boolean release(String runId, String userId, String orderNo) {
    RunStock stock = runs.get(runId);
    if (stock == null) {
      return false;
    }
    synchronized (stock) {
      if (!orderNo.equals(stock.holders.get(userId))) {
        return false;
      }
      stock.holders.remove(userId);
      stock.left++;
      return true;
    }
  }

  @Override
  public long remaining(String runId) {
    RunStock stock = runs.get(runId);
    if (stock == null) {
      return -1;
    }
    synchronized (stock) {
      return stock.left;
    }
  }
}
