package io.railrush.kit.cache;

import io.railrush.kit.cache.internal.InProcessSharedTier;
import io.railrush.kit.cache.internal.RedisSharedTier;
import io.railrush.kit.lock.LockService;
import io.railrush.kit.redis.RedisConnector;
import java.time.Clock;
import java.time.Duration;
import java.util.OptionalLong;

/**
 * The second cache level, shared by every node of a cluster (Redis), or by every cache of one JVM
 * (in-process, for embedded mode and tests).
 *
 * <p>Every method may throw a runtime exception when the tier is unreachable; the guarded cache
 * treats that as "tier down" and keeps answering from the in-process tier and the source.
 */
public interface SharedTier {

  /** The stored text, or {@code null}. */
  String get(String key);

  /** Which of {@code keys} exist: one round trip on Redis ({@code MGET}). */
  default java.util.Set<String> existing(java.util.Collection<String> keys) {
    java.util.Set<String> found = new java.util.HashSet<>();
    for (String key : keys) {
      if (get(key) != null) {
        found.add(key);
      }
    }
    return found;
  }

  /** Stores text that disappears after {@code ttl}. */
  void put(String key, String value, Duration ttl);

  void delete(String key);

  /**
   * The rebuild locks that go with this tier, so caches sharing a tier also share single flight
   * when no other lock service is given: Redis locks for the Redis tier, one in-process lock
   * service per in-process tier.
   */
  LockService rebuildLocks();

  /** Milliseconds until {@code key} disappears; empty when it does not exist. */
  OptionalLong ttlMillis(String key);

  static SharedTier inProcess(Clock clock) {
    return new InProcessSharedTier(clock);
  }

  static SharedTier redis(RedisConnector connector) {
    return new RedisSharedTier(connector);
  }
}
