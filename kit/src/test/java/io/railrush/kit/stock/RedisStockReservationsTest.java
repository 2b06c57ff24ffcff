package io.railrush.kit.stock;

import io.railrush.kit.redis.RedisConnector;
import io.railrush.kit.testing.TestRedis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

class RedisStockReservationsTest extends StockReservationsContract {
  private static RedisConnector redis;
  private final String prefix = TestRedis.uniquePrefix("stock");

  @BeforeAll
  static void connect() {
    redis = TestRedis.connect();
  }

  @AfterAll
  static void close() {
    redis.close();
  }

  @Override
  protected StockReservations reservations() {
    return StockReservations.redis(redis, prefix);
  }
}
