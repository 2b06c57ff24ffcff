package io.railrush.kit.stock;

import io.railrush.kit.testing.TestRedis;
import org.junit.jupiter.api.Tag;

@Tag("redis")
class RedisStockReservationsTest extends StockReservationsContract {
  private final String prefix = TestRedis.uniquePrefix("stock");

  @Override
  protected StockReservations reservations() {
    return StockReservations.redis(TestRedis.shared(), prefix);
  }
}
