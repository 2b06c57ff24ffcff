package io.railrush.kit.cache;

import io.railrush.kit.redis.RedisConnector;
import io.railrush.kit.testing.TestRedis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

class RedisSharedTierTest extends SharedTierContract {

  private static RedisConnector redis;
  private final String prefix = TestRedis.uniquePrefix("tier");

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

  @Override
  protected String prefix() {
    return prefix;
  }
}
