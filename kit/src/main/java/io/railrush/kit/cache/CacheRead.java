package io.railrush.kit.cache;

import java.time.Instant;
import java.util.Optional;

/**
 * The answer of one {@link GuardedCache#get} call.
 *
 * @param value the value, or {@code null} when the key does not exist
 * @param asOf when the value was read from the source; for a fallback value, the time of the call
 * @param degraded true when the value is older than the freshness bound plus grace, or is the
 *     configured fallback: callers should show it as approximate
 * @param source where the answer came from
 */
public record CacheRead<V>(V value, Instant asOf, boolean degraded, Source source) {

  public enum Source {
    /** A fresh value from the in-process tier. */
    LOCAL,
    /** A fresh value from the shared tier. */
    SHARED,
    /** Freshly loaded from the source during this call. */
    LOADED,
    /** A logically expired copy, served while one caller in the cluster reloads it. */
    STALE,
    /** Nothing was cached and the reload did not finish in time: the configured fallback. */
    FALLBACK,
    /** The key was refused before any cache or source work (Bloom filter). */
    REJECTED
  }

  public boolean present() {
    return value != null;
  }

  public Optional<V> optional() {
    return Optional.ofNullable(value);
  }
}
