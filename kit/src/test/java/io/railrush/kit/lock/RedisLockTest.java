package io.railrush.kit.lock;

import io.railrush.kit.testing.TestRedis;

class RedisLockTest extends LeasedLockContract {
  private final String prefix = TestRedis.uniquePrefix("lock");

  @Override
  protected String spec() {
    return "redis|" + TestRedis.URL + "|" + prefix;
  }
}
