package io.railrush.kit.limit;

import io.railrush.kit.limit.internal.InProcessRateLimits;
import io.railrush.kit.limit.internal.RedisRateLimits;
import io.railrush.kit.redis.RedisConnector;

/**
 * The two limits of the grab gate (限流): one attempt per user per window (in Redis terms {@code SET
 * key v EX 5 NX}), and a token bucket per key (a pool of tokens refilled at a fixed rate). Both
 * answer in one atomic step on their backend and say how long a refused caller should wait.
 */
public interface RateLimits {

  /** At most one pass per {@code key} per {@code window}. */
  Permit oncePer(String key, java.time.Duration window);

  /** Ends {@code key}'s current window early (a claim given back), so the next call passes. */
  void endWindow(String key);

  /**
   * A token bucket of {@code capacity} tokens for {@code key}, refilled at {@code refillPerSecond};
   * takes one token if there is one.
   */
  Permit takeToken(String key, long capacity, double refillPerSecond);

  /** In this JVM: Caffeine for the windows, Bucket4j for the buckets. */
  static RateLimits inProcess() {
    return new InProcessRateLimits();
  }

  /** In Redis: {@code SET NX PX} for the windows, one Lua token-bucket script per call. */
  static RateLimits redis(RedisConnector redis, String keyPrefix) {
    return new RedisRateLimits(redis, keyPrefix);
  }
}
