package io.railrush.kit.limit;

import io.railrush.kit.redis.RedisConnector;
import io.railrush.kit.testing.TestRedis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

class RedisRateLimitsTest extends RateLimitsContract {
  private static RedisConnector redis;
  private final String prefix = TestRedis.uniquePrefix("limits");

  @BeforeAll
  static void connect() {
    redis = TestRedis.connect();
  }

  @AfterAll
  static void close() {
    redis.close();
  }

  @Override
  protected RateLimits limits() {
    return RateLimits.redis(redis, prefix);
  }
}
