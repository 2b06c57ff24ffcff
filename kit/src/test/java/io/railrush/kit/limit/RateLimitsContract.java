package io.railrush.kit.limit;

import static org.assertj.core.api.Assertions.assertThat;

import io.railrush.kit.testing.Concurrently;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** What both limit backends guarantee, under concurrency. */
abstract class RateLimitsContract {

  protected abstract RateLimits limits();

  private final String key = "user-" + UUID.randomUUID();

  @Test
  void oneUserFiringAHundredRequestsGetsOneThroughPerWindow() throws Exception {
    AtomicInteger passed = new AtomicInteger();
    AtomicInteger refusedWithRetryAfter = new AtomicInteger();
    Concurrently.run(
        20,
        () -> {
          for (int i = 0; i < 5; i++) {
            Permit permit = limits().oncePer(key, Duration.ofSeconds(1));
            if (permit.granted()) {
              passed.incrementAndGet();
            } else if (permit.retryAfter().compareTo(Duration.ZERO) > 0
                && permit.retryAfter().compareTo(Duration.ofSeconds(1)) <= 0) {
              refusedWithRetryAfter.incrementAndGet();
            }
          }
          return null;
        });
    assertThat(passed).hasValue(1);
    assertThat(refusedWithRetryAfter).hasValue(99);
    Awaitility.await()
        .atMost(Duration.ofSeconds(3))
        .until(() -> limits().oncePer(key, Duration.ofSeconds(1)).granted());
  }

  @Test
  void aTokenBucketPassesItsCapacityThenRefills() throws Exception {
    AtomicInteger passed = new AtomicInteger();
    Concurrently.run(
        16,
        () -> {
          for (int i = 0; i < 10; i++) {
            if (limits().takeToken(key, 50, 0.5).granted()) {
              passed.incrementAndGet();
            }
          }
          return null;
        });
    // 160 attempts in far less than the 2 s one token takes to refill: exactly the 50 tokens
    assertThat(passed.get()).isBetween(50, 51);
    Permit refused = limits().takeToken(key, 50, 0.5);
    assertThat(refused.granted()).isFalse();
    assertThat(refused.retryAfter()).isPositive().isLessThanOrEqualTo(Duration.ofMillis(2_100));
    Awaitility.await()
        .atMost(Duration.ofSeconds(4))
        .until(() -> limits().takeToken(key, 50, 0.5).granted());
  }

  @Test
  void aWindowEndedEarlyLetsTheNextCallThrough() {
    assertThat(limits().oncePer(key, Duration.ofMinutes(1)).granted()).isTrue();
    assertThat(limits().oncePer(key, Duration.ofMinutes(1)).granted()).isFalse();
    limits().endWindow(key);
    assertThat(limits().oncePer(key, Duration.ofMinutes(1)).granted()).isTrue();
  }
}
