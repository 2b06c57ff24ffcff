package io.railrush.kit.cache.internal;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/**
 * Single flight in one JVM: at most one load per key runs at a time; callers that ask while it runs
 * join it instead of starting another.
 */
public final class InFlightLoads<K, V> {

  private final ConcurrentHashMap<K, CompletableFuture<V>> flights = new ConcurrentHashMap<>();
  private final Runnable onStart;
  private final Runnable onFailure;

  /**
   * @param onStart called once per flight started (not for callers that join one)
   * @param onFailure called once per flight whose work threw
   */
  public InFlightLoads(Runnable onStart, Runnable onFailure) {
    this.onStart = onStart;
    this.onFailure = onFailure;
  }

  /**
   * The running flight of {@code key}, or a new one running {@code work} on {@code executor}. The
   * flight leaves the map before its future completes, so a caller woken by it can start the next
   * one. An executor that refuses the work fails the flight with its exception.
   */
  public CompletableFuture<V> startOrJoin(K key, Executor executor, Callable<V> work) {
    CompletableFuture<V> mine = new CompletableFuture<>();
    CompletableFuture<V> running = flights.putIfAbsent(key, mine);
    if (running != null) {
      return running;
    }
    onStart.run();
    try {
      executor.execute(
          () -> {
            V result = null;
            Throwable failure = null;
            try {
              result = work.call();
            } catch (Throwable e) {
              onFailure.run();
              failure = e;
            }
            flights.remove(key, mine);
            if (failure == null) {
              mine.complete(result);
            } else {
              mine.completeExceptionally(failure);
            }
          });
    } catch (RuntimeException rejected) {
      flights.remove(key, mine);
      mine.completeExceptionally(rejected);
    }
    return mine;
  }

  public boolean isRunning(K key) {
    return flights.containsKey(key);
  }

  /** Flights running now. */
  public int size() {
    return flights.size();
  }
}
