package io.railrush.kit.seats;

import io.railrush.kit.testing.TestRedis;
import org.junit.jupiter.api.Tag;

@Tag("redis")
class RedisSegmentInventoryTest extends SegmentInventoryContract {
  private final String prefix = TestRedis.uniquePrefix("seats");

  @Override
  protected SegmentInventory inventory() {
    return SegmentInventory.redis(TestRedis.shared(), prefix);
  }
}
