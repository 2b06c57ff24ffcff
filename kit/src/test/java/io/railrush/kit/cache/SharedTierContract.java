package io.railrush.kit.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** What every {@link SharedTier} must do; one small subclass per backend says how to make it. */
abstract class SharedTierContract {

  protected abstract SharedTier tier();

  protected abstract String prefix();

  @Test
  void storesTextUntilItsTtl() {
    String key = prefix() + "k";
    tier().put(key, "v1;payload", Duration.ofMillis(300));
    assertThat(tier().get(key)).isEqualTo("v1;payload");
    assertThat(tier().ttlMillis(key).orElseThrow()).isBetween(1L, 300L);
    Awaitility.await().atMost(Duration.ofSeconds(3)).until(() -> tier().get(key) == null);
    assertThat(tier().ttlMillis(key)).isEmpty();
  }

  @Test
  void deleteRemoves() {
    String key = prefix() + "d";
    tier().put(key, "x", Duration.ofSeconds(30));
    tier().delete(key);
    assertThat(tier().get(key)).isNull();
  }

  @Test
  void lockIsExclusiveUntilReleasedByItsOwner() {
    String lock = prefix() + "lock";
    assertThat(tier().tryLock(lock, "a", Duration.ofSeconds(30))).isTrue();
    assertThat(tier().tryLock(lock, "b", Duration.ofSeconds(30))).isFalse();
    tier().unlock(lock, "b"); // not the owner: must change nothing
    assertThat(tier().tryLock(lock, "b", Duration.ofSeconds(30))).isFalse();
    tier().unlock(lock, "a");
    assertThat(tier().tryLock(lock, "b", Duration.ofSeconds(30))).isTrue();
  }

  @Test
  void lockIsFreedByItsLease() {
    String lock = prefix() + "lease";
    assertThat(tier().tryLock(lock, "a", Duration.ofMillis(200))).isTrue();
    Awaitility.await()
        .atMost(Duration.ofSeconds(3))
        .until(() -> tier().tryLock(lock, "b", Duration.ofSeconds(30)));
    tier().unlock(lock, "a"); // the late holder must not free b's lock
    assertThat(tier().tryLock(lock, "c", Duration.ofSeconds(30))).isFalse();
  }

  @Test
  void exactlyOneOfManyContendersWins() throws Exception {
    String lock = prefix() + "race";
    int contenders = 64;
    AtomicInteger winners = new AtomicInteger();
    CountDownLatch start = new CountDownLatch(1);
    try (ExecutorService pool = Executors.newFixedThreadPool(contenders)) {
      for (int i = 0; i < contenders; i++) {
        pool.execute(
            () -> {
              try {
                start.await();
              } catch (InterruptedException e) {
                return;
              }
              if (tier().tryLock(lock, UUID.randomUUID().toString(), Duration.ofSeconds(30))) {
                winners.incrementAndGet();
              }
            });
      }
      start.countDown();
    }
    assertThat(winners).hasValue(1);
  }
}
