package io.railrush.kit.cache;

import io.railrush.kit.testing.TestRedis;
import org.junit.jupiter.api.Tag;

@Tag("redis")
class RedisSharedTierTest extends SharedTierContract {

  private final String prefix = TestRedis.uniquePrefix("tier");

  @Override
  protected SharedTier tier() {
    return SharedTier.redis(TestRedis.shared());
  }

  @Override
  protected String prefix() {
    return prefix;
  }
}
