package io.railrush.kit.testing;

import io.railrush.kit.redis.RedisConnector;
import java.util.UUID;

/**
 * The machine's Redis (RAILRUSH_TEST_REDIS_URL, default redis://127.0.0.1:6379), with a key prefix
 * per test so tests run in any order and side by side.
 */
public final class TestRedis {

  public static final String URL =
      System.getenv().getOrDefault("RAILRUSH_TEST_REDIS_URL", "redis://127.0.0.1:6379");

  private static RedisConnector shared;

  private TestRedis() {}

  /** One connection for the whole test JVM (test classes keep apart by key prefix). */
  public static synchronized RedisConnector shared() {
    if (shared == null) {
      shared = connect();
    }
    return shared;
  }

  public static RedisConnector connect() {
    return RedisConnector.of(URL);
  }

  public static String uniquePrefix(String test) {
    return "test:" + test + ":" + UUID.randomUUID().toString().substring(0, 8) + ":";
  }
}
