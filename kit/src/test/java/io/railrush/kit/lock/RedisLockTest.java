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
}
