package io.railrush.kit.cache.internal;

import io.lettuce.core.KeyValue;
import io.lettuce.core.SetArgs;
import io.railrush.kit.cache.SharedTier;
import io.railrush.kit.lock.LockService;
import io.railrush.kit.lock.Locks;
import io.railrush.kit.redis.RedisConnector;
import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The shared tier on Redis through one multiplexed Lettuce connection; Redis failing is a {@link
 * io.railrush.kit.redis.RedisConnector.RedisUnavailableException}.
 */
public final class RedisSharedTier implements SharedTier {

  private final RedisConnector connector;
  private final LockService rebuildLocks;

  public RedisSharedTier(RedisConnector connector) {
    this.connector = connector;
    this.rebuildLocks = Locks.redis(connector, "railrush:cache-rebuild:");
  }

  @Override
  public LockService rebuildLocks() {
    return rebuildLocks;
  }

  @Override
  public String get(String key) {
    return connector.call(redis -> redis.get(key));
  }

  @Override
  public Set<String> existing(Collection<String> keys) {
    Set<String> found = new HashSet<>();
    if (!keys.isEmpty()) {
      List<KeyValue<String, String>> values =
          connector.call(redis -> redis.mget(keys.toArray(String[]::new)));
      for (KeyValue<String, String> kv : values) {
        if (kv.hasValue()) {
          found.add(kv.getKey());
        }
      }
    }
    return found;
  }

  @Override
  public void put(String key, String value, Duration ttl) {
    connector.run(redis -> redis.set(key, value, SetArgs.Builder.px(ttl.toMillis())));
  }

  @Override
  public void delete(String key) {
    connector.run(redis -> redis.del(key));
  }

  @Override
  public OptionalLong ttlMillis(String key) {
    long pttl = connector.call(redis -> redis.pttl(key));
    return pttl < 0 ? OptionalLong.empty() : OptionalLong.of(pttl);
  }
}
