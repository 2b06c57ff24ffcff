package io.railrush.kit.cache;

import io.railrush.kit.lock.LockService;
import io.railrush.kit.lock.Locks;
import io.railrush.kit.redis.RedisConnector;
import io.railrush.kit.testing.TestRedis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

class RedisGuardedCacheTest extends GuardedCacheContract {

  private static RedisConnector redis;
  private final String prefix = TestRedis.uniquePrefix("cache");

  @BeforeAll
  static void connect() {
    redis = TestRedis.connect();
  }

  @AfterAll
  static void close() {
    redis.close();
  }

  @Override
  protected SharedTier tier() {
    return SharedTier.redis(redis);
  }

  private LockService locks;

  @Override
  protected LockService locks() {
    if (locks == null) {
      locks = Locks.redis(redis, prefix + "lock:");
    }
    return locks;
  }

  @Override
  protected String keyPrefix() {
    return prefix;
  }
}
