package io.railrush.kit.cache.internal;

import io.railrush.kit.cache.SharedTier;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The shared tier of one JVM. Caffeine cannot set a different expiry on each write from outside
 * the value without an {@code Expiry} that reads it back, and the lock needs compare-and-set on
 * the same map, so a {@link ConcurrentHashMap} of deadline-stamped cells is the simpler honest
 * fit. Expired cells are dropped lazily on read.
 */
public final class InProcessSharedTier implements SharedTier {

  private record Cell(String value, long expiresAtMillis) {}

  private final Clock clock;
  private final ConcurrentHashMap<String, Cell> cells = new ConcurrentHashMap<>();

  public InProcessSharedTier(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  private Cell live(String key) {
    Cell cell = cells.get(key);
    if (cell != null && cell.expiresAtMillis() <= clock.millis()) {
      cells.remove(key, cell);
      return null;
    }
    return cell;
  }

  @Override
  public String get(String key) {
    Cell cell = live(key);
    return cell == null ? null : cell.value();
  }

  @Override
  public void put(String key, String value, Duration ttl) {
    cells.put(key, new Cell(value, clock.millis() + ttl.toMillis()));
  }

  @Override
  public void delete(String key) {
    cells.remove(key);
  }

  @Override
  public OptionalLong ttlMillis(String key) {
    Cell cell = live(key);
    return cell == null
        ? OptionalLong.empty()
        : OptionalLong.of(cell.expiresAtMillis() - clock.millis());
  }

  @Override
  public boolean tryLock(String key, String token, Duration lease) {
    long now = clock.millis();
    Cell mine = new Cell(token, now + lease.toMillis());
    Cell after =
        cells.compute(key, (k, held) -> held == null || held.expiresAtMillis() <= now ? mine : held);
    return after == mine;
  }

  @Override
  public void unlock(String key, String token) {
    cells.computeIfPresent(key, (k, held) -> held.value().equals(token) ? null : held);
  }
}
