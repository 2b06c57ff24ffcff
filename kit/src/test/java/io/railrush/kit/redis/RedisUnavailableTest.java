package io.railrush.kit.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.railrush.kit.BackendUnavailableException;
import io.railrush.kit.cache.SharedTier;
import io.railrush.kit.id.OrderNumberGenerator;
import io.railrush.kit.id.WorkerIdLease;
import io.railrush.kit.id.WorkerIds;
import io.railrush.kit.limit.RateLimits;
import io.railrush.kit.lock.LockService;
import io.railrush.kit.lock.LockUnavailableException;
import io.railrush.kit.lock.Locks;
import io.railrush.kit.redis.RedisConnector.RedisUnavailableException;
import io.railrush.kit.stock.StockReservations;
import io.railrush.kit.testing.RedisServerProcess;
import io.railrush.kit.testing.TestRedis;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Every Redis-backed kit service reports Redis failing as the {@link BackendUnavailableException}
 * family (backend {@code redis}), never as a Lettuce exception; a bug stays a bug.
 */
@Tag("redis")
class RedisUnavailableTest {

  private static void assertRedisUnavailable(ThrowingCallable call) {
    assertThatThrownBy(call)
        .isInstanceOf(BackendUnavailableException.class)
        .satisfies(e -> assertThat(((BackendUnavailableException) e).backend()).isEqualTo("redis"));
  }

  /** One call of each Redis-backed service. */
  private static List<ThrowingCallable> everyService(RedisConnector redis) {
    StockReservations stock = StockReservations.redis(redis, "down:stock:");
    RateLimits limits = RateLimits.redis(redis, "down:limit:");
    SharedTier tier = SharedTier.redis(redis);
    return List.of(
        () -> stock.reserve("G1", "u1", "E1"),
        () -> stock.restore("G1", 10, Map.of()),
        () -> stock.remaining("G1"),
        () -> stock.holders("G1"),
        () -> stock.release("G1", "u1", "E1"),
        () -> limits.oncePer("u1", Duration.ofSeconds(5)),
        () -> limits.takeToken("G1", 10, 5.0),
        () -> limits.endWindow("u1"),
        () -> tier.get("k"),
        () -> tier.put("k", "v", Duration.ofSeconds(5)),
        () -> tier.ttlMillis("k"),
        () -> tier.existing(List.of("k")));
  }

  @Test
  void nothingListeningIsTheFamilyForEveryService() throws Exception {
    try (RedisConnector redis =
        RedisConnector.of("redis://127.0.0.1:" + RedisServerProcess.freePort())) {
      for (ThrowingCallable call : everyService(redis)) {
        assertRedisUnavailable(call);
      }
      LockService locks = Locks.redis(redis, "down:lock:");
      assertThatThrownBy(
              () -> locks.tryAcquire("run-1", Duration.ofMillis(50), Duration.ofSeconds(1)))
          .isInstanceOf(LockUnavailableException.class)
          .satisfies(e -> assertThat(((LockUnavailableException) e).backend()).isEqualTo("redis"));
      WorkerIdLease lease = WorkerIds.fromRedis(redis, "down:ids:", Duration.ofSeconds(3));
      try {
        assertRedisUnavailable(lease::workerId);
        assertRedisUnavailable(new OrderNumberGenerator(lease)::next);
      } finally {
        lease.close();
      }
    }
  }

  @Test
  void aServerKilledAfterConnectingIsTheFamily() throws Exception {
    try (RedisServerProcess server = RedisServerProcess.start();
        RedisConnector redis = RedisConnector.of(server.url())) {
      StockReservations stock = StockReservations.redis(redis, "down:stock:");
      stock.load("G1", 10);
      assertThat(stock.remaining("G1")).isEqualTo(10);
      server.kill();
      for (ThrowingCallable call : everyService(redis)) {
        assertRedisUnavailable(call);
      }
    }
  }

  @Test
  void aCommandTimeoutIsTheFamily() throws Exception {
    try (RedisServerProcess server = RedisServerProcess.start();
        RedisConnector redis = RedisConnector.of(server.url());
        RedisConnector admin = RedisConnector.of(server.url())) {
      StockReservations stock = StockReservations.redis(redis, "slow:stock:");
      stock.load("G1", 10);
      admin.sync().clientPause(2_000); // the server stops answering for 2 s; the timeout is 500 ms
      assertThatThrownBy(() -> stock.reserve("G1", "u1", "E1"))
          .isInstanceOf(RedisUnavailableException.class)
          .hasCauseInstanceOf(RedisCommandTimeoutException.class);
    }
  }

  /** An error reply that means a bug (here: a key of the wrong type) is not "Redis is down". */
  @Test
  void anErrorReplyOfABugStaysLettucesException() {
    String prefix = TestRedis.uniquePrefix("wrongtype");
    RedisConnector redis = TestRedis.shared();
    StockReservations stock = StockReservations.redis(redis, prefix);
    redis.sync().hset(prefix + "{G1}:stock", "not", "a counter");
    assertThatThrownBy(() -> stock.remaining("G1"))
        .isInstanceOf(RedisCommandExecutionException.class)
        .isNotInstanceOf(BackendUnavailableException.class)
        .hasMessageStartingWith("WRONGTYPE");
    redis.sync().del(prefix + "{G1}:stock");
  }
}
