package io.railrush.kit.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.railrush.kit.cache.CacheRead.Source;
import io.railrush.kit.lock.LockHandle;
import io.railrush.kit.lock.LockService;
import io.railrush.kit.lock.Locks;
import io.railrush.kit.testing.MutableClock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** What {@code build()} promises: the cache keeps the settings it was built with. */
class GuardedCacheBuilderTest {

  private final MutableClock clock = MutableClock.now();

  /** Regression: the builder and its caches shared one mutable settings object. */
  @Test
  void aReusedBuilderDoesNotRetuneALiveCache() {
    CountingSource source = CountingSource.everyKeyExists();
    var builder =
        GuardedCache.builder("run-stock", source, ValueCodec.identity())
            .clock(clock)
            .jitter(0)
            .ttl(Duration.ofSeconds(5));
    GuardedCache<String, String> live = builder.build();

    builder.ttl(Duration.ofSeconds(1)).jitter(0.5).maxWait(Duration.ofMillis(50));
    GuardedCache<String, String> second = builder.build();

    assertThat(live.settings().ttl()).isEqualTo(Duration.ofSeconds(5));
    assertThat(live.settings().jitter()).isEqualTo(0.0);
    assertThat(live.settings().maxWait()).isEqualTo(Duration.ofMillis(500));
    assertThat(second.settings().ttl()).isEqualTo(Duration.ofSeconds(1));
    assertThat(live.get("K1").source()).isEqualTo(Source.LOADED);
    clock.advance(Duration.ofSeconds(2)); // past the second cache's ttl, inside the live one's
    assertThat(live.get("K1").source()).isEqualTo(Source.LOCAL);
    assertThat(source.loads()).isEqualTo(1);
  }

  /** The in-process tier expires on the injected clock too, not only on the JVM's ticker. */
  @Test
  void theLocalTierForgetsACopyAfterTheBackupTtlOfTheInjectedClock() {
    CountingSource source = CountingSource.everyKeyExists();
    GuardedCache<String, String> cache =
        GuardedCache.builder("run-stock", source, ValueCodec.identity())
            .clock(clock)
            .jitter(0)
            .ttl(Duration.ofSeconds(5))
            .backupTtl(Duration.ofMinutes(1))
            .build();
    assertThat(cache.get("K1").source()).isEqualTo(Source.LOADED);
    clock.advance(Duration.ofMinutes(2)); // both copies are gone: a miss, not a stale answer
    assertThat(cache.get("K1").source()).isEqualTo(Source.LOADED);
    assertThat(source.loads()).isEqualTo(2);
  }

  @Test
  void settingsBoundElsewhereAreTakenWhole() {
    GuardedCacheSettings bound =
        GuardedCacheSettings.defaults().withTtl(Duration.ofSeconds(30)).withKeyPrefix("env:");
    GuardedCache<String, String> cache =
        GuardedCache.builder("run-stock", CountingSource.everyKeyExists(), ValueCodec.identity())
            .settings(bound)
            .grace(Duration.ofSeconds(1))
            .build();
    assertThat(cache.settings()).isEqualTo(bound.withGrace(Duration.ofSeconds(1)));
  }

  /** The shared-tier entry and the rebuild lock of a key have one name. */
  @Test
  void aKeysRebuildLockIsNamedLikeItsSharedEntry() {
    SharedTier tier = SharedTier.inProcess(clock);
    LockService inProcess = Locks.inProcess();
    List<String> lockNames = new CopyOnWriteArrayList<>();
    LockService recording =
        (name, wait, lease, renewal) -> {
          lockNames.add(name);
          Optional<LockHandle> granted = inProcess.tryAcquire(name, wait, lease, renewal);
          return granted;
        };
    GuardedCache<Integer, String> cache =
        GuardedCache.<Integer, String>builder(
                "run-stock", key -> Optional.of("v" + key), ValueCodec.identity())
            .sharedTier(tier)
            .rebuildLocks(recording)
            .keyPrefix("env:")
            .keyToString(key -> "K" + key)
            .clock(clock)
            .build();
    assertThat(cache.get(7).source()).isEqualTo(Source.LOADED);
    assertThat(lockNames).containsExactly("env:run-stock:K7");
    assertThat(tier.get("env:run-stock:K7")).endsWith("+v7");
  }
}
