package io.railrush.bench.cache;

import io.lettuce.core.SetArgs;
import io.railrush.kit.redis.RedisConnector;
import java.time.Duration;

/**
 * The textbook cache-aside: GET; on a miss, load and SET with a TTL. Every miss goes to the
 * database.
 */
final class NaiveCacheAside implements StockReader {

  private final RedisConnector redis;
  private final SlowSource source;
  private final String prefix;
  private final Duration ttl;

  NaiveCacheAside(String redisUrl, SlowSource source, String prefix, Duration ttl) {
    this.redis = RedisConnector.of(redisUrl);
    this.source = source;
    this.prefix = prefix;
    this.ttl = ttl;
  }

  @Override
  public long remaining(String runId) {
    String key = prefix + runId;
    String cached = redis.sync().get(key);
    if (cached != null) {
      return Long.parseLong(cached);
    }
    long loaded = source.remaining(runId);
    redis.sync().set(key, Long.toString(loaded), SetArgs.Builder.px(ttl.toMillis()));
    return loaded;
  }

  @Override
  public void close() {
    redis.close();
  }
}
