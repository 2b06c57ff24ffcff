package io.railrush.kit.seats;

import static org.assertj.core.api.Assertions.assertThat;

import io.railrush.kit.testing.TestRedis;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("redis")
class RedisSegmentInventoryTest extends SegmentInventoryContract {
  private final String prefix = TestRedis.uniquePrefix("seats");
  private final SegmentInventory inventory = SegmentInventory.redis(TestRedis.shared(), prefix);

  @Override
  protected SegmentInventory inventory() {
    return inventory;
  }

  /** Scripts run by SHA-1: a server that forgot them (restart, SCRIPT FLUSH) gets them again. */
  @Test
  void aServerThatForgotTheScriptsIsGivenThemAgain() {
    inventory.restore("flushed:SECOND", 2, TEN_SEATS, Map.of());
    assertThat(inventory.hold("flushed:SECOND", "a", 0, 1, 1, List.of()).outcome())
        .isEqualTo(HoldResult.Outcome.HELD);
    TestRedis.shared().run(r -> r.scriptFlush());
    assertThat(inventory.hold("flushed:SECOND", "b", 0, 2, 2, List.of()).outcome())
        .isEqualTo(HoldResult.Outcome.HELD);
    assertThat(inventory.remaining("flushed:SECOND", 0, 1)).isEqualTo(7);
  }
}
