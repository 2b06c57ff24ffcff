package io.railrush.bench.cache;

import io.railrush.kit.cache.GuardedCache;
import io.railrush.kit.cache.SharedTier;
import io.railrush.kit.cache.ValueCodec;
import io.railrush.kit.redis.RedisConnector;
import java.time.Duration;
import java.util.Optional;

/** Railrush's guarded cache, configured as the app configures run-stock. */
final class GuardedReader implements StockReader {

  private final RedisConnector redis;
  private final GuardedCache<String, Long> cache;

  GuardedReader(
      String redisUrl,
      SlowSource source,
      String prefix,
      Duration ttl,
      double jitter,
      double earlyBeta) {
    this.redis = RedisConnector.of(redisUrl);
    this.cache =
        GuardedCache.builder(
                "run-stock", (String runId) -> Optional.of(source.remaining(runId)), longs())
            .sharedTier(SharedTier.redis(redis))
            .keyPrefix(prefix)
            .ttl(ttl)
            .jitter(jitter)
            .earlyRefreshBeta(earlyBeta)
            .build();
  }

  private static ValueCodec<Long> longs() {
    return new ValueCodec<>() {
      @Override
      public String encode(Long value) {
        return value.toString();
      }

      @Override
      public Long decode(String text) {
        return Long.valueOf(text);
      }
    };
  }

  @Override
  public long remaining(String runId) {
    return cache.get(runId).value();
  }

  @Override
  public void close() {
    System.err.println("guarded node: " + cache.stats());
    redis.close();
  }
}
