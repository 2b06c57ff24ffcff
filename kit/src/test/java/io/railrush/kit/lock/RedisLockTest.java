package io.railrush.kit.lock;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.KillArgs;
import io.railrush.kit.redis.RedisConnector;
import io.railrush.kit.testing.TestRedis;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("redis")
class RedisLockTest extends LeasedLockContract {
  private final String prefix = TestRedis.uniquePrefix("lock");

  @Override
  protected String spec() {
    return "redis|" + TestRedis.URL + "|" + prefix;
  }

  /** Redisson's known trap: renewal lost after a reconnect. Ours renews on the new connection. */
  @Test
  void theWatchdogKeepsRenewingAfterTheConnectionIsKilled() throws Exception {
    LockHandle holder = locks.tryAcquire(name, Duration.ZERO, Duration.ofMillis(900)).orElseThrow();
    RedisConnector holderConnection = (RedisConnector) backend.resources();
    long clientId = holderConnection.sync().clientId();
    try (RedisConnector admin = TestRedis.connect()) {
      assertThat(admin.sync().clientKill(KillArgs.Builder.id(clientId))).isEqualTo(1L);
    }
    Thread.sleep(2_500); // well past the lease: only renewals on the new connection keep it
    assertThat(holder.isHeld()).isTrue();
    try (LockBackends.Backend other = LockBackends.open(spec())) {
      assertThat(other.service().tryAcquire(name, Duration.ofMillis(200), Duration.ofSeconds(5)))
          .isEmpty();
    }
    holder.release();
  }

  /**
   * A lock per payment must not leave a key per payment behind: once released, nothing of the lock
   * stays in Redis beyond the fence memory, and the next grant's token is still higher.
   */
  @Test
  void aReleasedLockLeavesNoKeyBehindAndItsNextTokenIsStillHigher() throws Exception {
    String ownPrefix = TestRedis.uniquePrefix("fence");
    try (RedisConnector redis = TestRedis.connect();
        LockService service =
            new io.railrush.kit.lock.internal.LeasedLockService(
                "redis",
                new io.railrush.kit.lock.internal.RedisLeaseDriver(
                    redis, ownPrefix, Duration.ofMillis(300)))) {
      long first;
      try (LockHandle held =
          service.tryAcquire("trade-1", Duration.ZERO, Duration.ofSeconds(5)).orElseThrow()) {
        first = held.fencingToken();
      }
      Thread.sleep(600);
      assertThat(redis.sync().keys(ownPrefix + "*")).isEmpty();
      try (LockHandle again =
          service.tryAcquire("trade-1", Duration.ZERO, Duration.ofSeconds(5)).orElseThrow()) {
        assertThat(again.fencingToken()).isGreaterThan(first);
      }
    }
  }
}
