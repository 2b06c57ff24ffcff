package io.railrush.kit.cache;

import io.railrush.kit.lock.LockService;
import io.railrush.kit.lock.Locks;
import io.railrush.kit.testing.TestRedis;
import org.junit.jupiter.api.Tag;

@Tag("redis")
class RedisGuardedCacheTest extends GuardedCacheContract {

  private final String prefix = TestRedis.uniquePrefix("cache");

  private final SharedTier tier = SharedTier.redis(TestRedis.shared());

  @Override
  protected SharedTier tier() {
    return tier;
  }

  private LockService locks;

  @Override
  protected LockService locks() {
    if (locks == null) {
      locks = Locks.redis(TestRedis.shared(), prefix + "lock:");
    }
    return locks;
  }

  private LockService otherNodeLocks;

  /** A second lock service on the same keys: no shared per-JVM gate between the two nodes. */
  @Override
  protected LockService otherNodeLocks() {
    if (otherNodeLocks == null) {
      otherNodeLocks = Locks.redis(TestRedis.shared(), prefix + "lock:");
    }
    return otherNodeLocks;
  }

  @Override
  protected String keyPrefix() {
    return prefix;
  }
}
