package io.railrush.kit.cache.internal;

import io.railrush.kit.cache.SharedTier;
import io.railrush.kit.lock.LockService;
import io.railrush.kit.lock.Locks;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The shared tier of one JVM, on the injected clock so tests can move time. Caffeine's per-entry
 * expiry runs on its own ticker, hence a {@link ConcurrentHashMap} of deadline-stamped cells,
 * dropped lazily on read.
 */
public final class InProcessSharedTier implements SharedTier {

  private record Cell(String value, long expiresAtMillis) {}

  private final Clock clock;
  private final ConcurrentHashMap<String, Cell> cells = new ConcurrentHashMap<>();
  private final LockService rebuildLocks = Locks.inProcess();

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
  public LockService rebuildLocks() {
    return rebuildLocks;
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
}
