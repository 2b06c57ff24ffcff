package io.railrush.kit.cache.internal;

/**
 * One cached value with its own clock: when it was loaded, until when it is fresh (the logical
 * expiry), and how long the load took (the XFetch "delta"). A {@code null} value records that the
 * key does not exist.
 */
public record CacheEntry<V>(V value, long loadedAtMillis, long freshUntilMillis, long loadMillis) {

  public boolean freshAt(long nowMillis) {
    return nowMillis < freshUntilMillis;
  }

  public boolean newerThan(CacheEntry<?> other) {
    return other == null || loadedAtMillis > other.loadedAtMillis;
  }
}
