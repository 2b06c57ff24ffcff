package io.railrush.kit.limit;

import io.railrush.kit.testing.TestRedis;
import org.junit.jupiter.api.Tag;

@Tag("redis")
class RedisRateLimitsTest extends RateLimitsContract {
  private final String prefix = TestRedis.uniquePrefix("limits");

  @Override
  protected RateLimits limits() {
    return RateLimits.redis(TestRedis.shared(), prefix);
  }
}
