package io.railrush.kit.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.railrush.kit.cache.CacheRead.Source;
import io.railrush.kit.filter.KnownIds;
import io.railrush.kit.lock.LockService;
import io.railrush.kit.testing.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The guarded cache's guarantees, run once per shared tier (in-process and Redis). Two caches on
 * one tier are two nodes of a cluster.
 */
abstract class GuardedCacheContract {

  protected abstract SharedTier tier();

  protected abstract String keyPrefix();

  /** The rebuild locks of the test cluster's first node. */
  protected abstract LockService locks();

  /**
   * The second node's own lock service on the same backend, so only the backend can single-flight
   * the two (the in-process tier has one JVM, hence one service).
   */
  protected LockService otherNodeLocks() {
    return locks();
  }

  protected final MutableClock clock = MutableClock.now();

  private GuardedCacheBuilder<String, String> node(CountingSource source) {
    return node(source, locks());
  }

  private GuardedCacheBuilder<String, String> node(CountingSource source, LockService locks) {
    return GuardedCache.builder("run-stock", source, ValueCodec.identity())
        .sharedTier(tier())
        .rebuildLocks(locks)
        .keyPrefix(keyPrefix())
        .clock(clock)
        .ttl(Duration.ofSeconds(5))
        .grace(Duration.ofSeconds(5))
        .maxWait(Duration.ofSeconds(5))
        .lockLease(Duration.ofSeconds(30));
  }

  @Test
  void stampedeAcrossExpiryCostsOneLoadPerClusterAndNobodyWaitsForIt() throws Exception {
    CountingSource source = CountingSource.everyKeyExists();
    GuardedCache<String, String> nodeA = node(source).build();
    GuardedCache<String, String> nodeB = node(source, otherNodeLocks()).build();
    assertThat(nodeA.get("G1-hot").source()).isEqualTo(Source.LOADED);
    assertThat(nodeB.get("G1-hot").source()).isEqualTo(Source.SHARED);
    assertThat(source.loads()).isEqualTo(1);

    int readers = 1_000;
    int rounds = 3;
    for (int round = 1; round <= rounds; round++) {
      clock.advance(Duration.ofSeconds(6)); // past the logical expiry, inside the grace
      source.close(); // the database hangs until every reader has been answered
      ConcurrentLinkedQueue<CacheRead<String>> answers = new ConcurrentLinkedQueue<>();
      java.util.concurrent.atomic.AtomicLong slowest = new java.util.concurrent.atomic.AtomicLong();
      CyclicBarrier start = new CyclicBarrier(readers);
      try (ExecutorService pool = Executors.newFixedThreadPool(readers)) {
        List<Future<?>> done = new ArrayList<>();
        for (int r = 0; r < readers; r++) {
          GuardedCache<String, String> node = r % 2 == 0 ? nodeA : nodeB;
          done.add(
              pool.submit(
                  () -> {
                    start.await();
                    for (int i = 0; i < 10; i++) {
                      long asked = System.nanoTime();
                      answers.add(node.get("G1-hot"));
                      slowest.accumulateAndGet(System.nanoTime() - asked, Math::max);
                    }
                    return null;
                  }));
        }
        for (Future<?> f : done) {
          f.get(20, TimeUnit.SECONDS); // would time out if a reader waited for the database
        }
      }
      assertThat(answers).hasSize(readers * 10);
      // the database hangs for as long as the round lasts: a reader that waited for it would take
      // at least maxWait (5 s); every call here was served a copy instead (the margin is for a
      // thread descheduled among 1,000 on two busy cores)
      assertThat(Duration.ofNanos(slowest.get())).isLessThan(Duration.ofMillis(4_500));
      assertThat(answers)
          .allSatisfy(
              a -> {
                assertThat(a.value()).isNotNull();
                assertThat(a.source()).isEqualTo(Source.STALE);
                assertThat(a.degraded()).isFalse();
              });
      source.open();
      int expected = 1 + round;
      Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  nodeA.get("G1-hot").source() != Source.STALE
                      && nodeB.get("G1-hot").source() != Source.STALE);
      assertThat(source.loads()).as("database loads after round %d", round).isEqualTo(expected);
    }
    assertThat(nodeA.get("G1-hot").value()).isEqualTo(nodeB.get("G1-hot").value());
  }

  @Test
  void keysWrittenTogetherExpireSpreadOverTheJitterWindow() throws Exception {
    CountingSource source = CountingSource.everyKeyExists();
    GuardedCache<String, String> cache =
        node(source).jitter(0.2).backupTtl(Duration.ofMinutes(10)).build();
    int keys = 10_000;
    try (ExecutorService pool = Executors.newFixedThreadPool(32)) {
      IntStream.range(0, keys).forEach(i -> pool.execute(() -> cache.get("run-" + i)));
    }
    assertThat(source.loads()).isEqualTo(keys);
    long[] logicalMillis = new long[keys];
    long[] physicalMillis = new long[keys];
    for (int i = 0; i < keys; i++) {
      GuardedCache.Expiry e = cache.describe("run-" + i).orElseThrow();
      logicalMillis[i] = e.freshUntil().toEpochMilli() - e.loadedAt().toEpochMilli();
      physicalMillis[i] = e.goneAt().toEpochMilli() - e.loadedAt().toEpochMilli();
    }
    // logical: 5 s jittered down by up to 20 % → [4 s, 5 s]; physical: 10 min up by up to 20 %,
    // read back from the tier's remaining TTL, which a loaded machine reads seconds late
    assertSpread(logicalMillis, 4_000, 5_000, 0);
    assertSpread(physicalMillis, 600_000, 720_000, 15_000);
  }

  /**
   * All values inside [low − lag, high], and each tenth of [low, high] holds 5–15 % of them (a
   * value read up to {@code lag} short counts in the first tenth).
   */
  private static void assertSpread(long[] values, long low, long high, long lag) {
    int[] buckets = new int[10];
    double width = (high - low) / 10.0;
    for (long v : values) {
      assertThat(v).isBetween(low - lag, high);
      buckets[(int) Math.min(9, Math.max(0, v - low) / width)]++;
    }
    for (int count : buckets) {
      assertThat(count).isBetween(values.length / 20, values.length * 3 / 20);
    }
  }

  @Test
  void unknownIdsAreRefusedBeforeAnyWork() {
    CountingSource source = new CountingSource(key -> key.startsWith("known-"));
    KnownIds known = new KnownIds(KnownIds.DEFAULT_FALSE_POSITIVE_RATE);
    known.rebuild(IntStream.range(0, 1_000).mapToObj(i -> "known-" + i).toList());
    GuardedCache<String, String> cache = node(source).admission(known::mightContain).build();
    Random random = new Random(20261124);
    int refused = 0;
    for (int i = 0; i < 100_000; i++) {
      String unknown = "G" + random.nextInt(10_000) + "-" + Long.toHexString(random.nextLong());
      CacheRead<String> read = cache.get(unknown);
      assertThat(read.present()).isFalse();
      if (read.source() == Source.REJECTED) {
        refused++;
      }
    }
    assertThat(source.loads()).isZero();
    assertThat(refused).isEqualTo(100_000);
    assertThat(cache.stats().rejected()).isEqualTo(100_000);
    assertThat(cache.get("known-7").value()).startsWith("known-7#");
  }

  @Test
  void aMissingKeyIsRememberedForTheNegativeTtl() {
    CountingSource source = new CountingSource(key -> false);
    GuardedCache<String, String> cache = node(source).negativeTtl(Duration.ofSeconds(2)).build();
    for (int i = 0; i < 100; i++) {
      assertThat(cache.get("ghost").present()).isFalse();
    }
    assertThat(source.loads()).isEqualTo(1);
    clock.advance(Duration.ofSeconds(3));
    cache.get("ghost");
    Awaitility.await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(() -> assertThat(source.loads()).as("%s", cache.stats()).isEqualTo(2));
  }

  @Test
  void aCopyOlderThanTheBoundIsServedOnlyMarkedDegraded() {
    CountingSource source = CountingSource.everyKeyExists();
    GuardedCache<String, String> cache = node(source).build();
    cache.get("K1");
    clock.advance(Duration.ofSeconds(7)); // ttl 5 s + grace 5 s not yet passed
    source.close();
    CacheRead<String> withinGrace = cache.get("K1");
    assertThat(withinGrace.source()).isEqualTo(Source.STALE);
    assertThat(withinGrace.degraded()).isFalse();
    clock.advance(Duration.ofSeconds(4)); // 11 s old
    CacheRead<String> beyond = cache.get("K1");
    assertThat(beyond.source()).isEqualTo(Source.STALE);
    assertThat(beyond.degraded()).isTrue();
    source.open();
  }

  @Test
  void aCallerWithNoCopyWaitsBoundedThenGetsTheFallback() {
    CountingSource source = CountingSource.everyKeyExists();
    GuardedCache<String, String> withFallback =
        node(source).maxWait(Duration.ofMillis(200)).fallback(key -> "unknown").build();
    source.close();
    long started = System.nanoTime();
    CacheRead<String> read = withFallback.get("K2");
    long waitedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    assertThat(read.source()).isEqualTo(Source.FALLBACK);
    assertThat(read.value()).isEqualTo("unknown");
    assertThat(read.degraded()).isTrue();
    assertThat(waitedMillis).isGreaterThanOrEqualTo(190);

    GuardedCache<String, String> noFallback = node(source).maxWait(Duration.ofMillis(100)).build();
    assertThatThrownBy(() -> noFallback.get("K3")).isInstanceOf(CacheUnavailableException.class);
    source.open();
  }

  @Test
  void earlyRefreshReloadsAHotKeyBeforeItExpires() {
    CountingSource source = CountingSource.everyKeyExists();
    source.delay(50); // delta ≈ 50 ms
    // rand = e^-40 → -delta·ln(rand) ≈ 2 s: refresh once less than 2 s of freshness is left
    GuardedCache<String, String> eager =
        node(source).random(() -> Math.exp(-40)).jitter(0).earlyRefreshWindow(0.5).build();
    eager.get("K4");
    assertThat(source.loads()).isEqualTo(1);
    clock.advance(Duration.ofSeconds(2)); // 3 s left: no refresh yet
    assertThat(eager.get("K4").source()).isEqualTo(Source.LOCAL);
    assertThat(source.loads()).isEqualTo(1);
    clock.advance(Duration.ofMillis(1_500)); // 1.5 s left: refresh early, still answered fresh
    assertThat(eager.get("K4").source()).isEqualTo(Source.LOCAL);
    Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> source.loads() == 2);
    assertThat(eager.stats().earlyRefreshes()).isEqualTo(1);
    Awaitility.await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () -> assertThat(eager.get("K4").value()).as("%s", eager.stats()).endsWith("#2"));
  }

  @Test
  void earlyRefreshStaysInsideItsWindow() {
    CountingSource source = CountingSource.everyKeyExists();
    source.delay(50);
    // XFetch alone would refresh ~2 s early; the default window is the last 10 % of 5 s
    GuardedCache<String, String> cache = node(source).random(() -> Math.exp(-40)).jitter(0).build();
    cache.get("K5");
    clock.advance(Duration.ofMillis(3_600)); // 1.4 s left
    assertThat(cache.get("K5").source()).isEqualTo(Source.LOCAL);
    assertThat(cache.stats().earlyRefreshes()).isZero();
    clock.advance(Duration.ofMillis(1_000)); // 0.4 s left
    assertThat(cache.get("K5").source()).isEqualTo(Source.LOCAL);
    Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> source.loads() == 2);
    assertThat(cache.stats().earlyRefreshes()).isEqualTo(1);
  }

  /** Regression: caches on one shared tier but no explicit lock service loaded once per node. */
  @Test
  void nodesSharingATierShareItsRebuildLocksByDefault() throws Exception {
    CountingSource source = CountingSource.everyKeyExists();
    List<GuardedCache<String, String>> nodes = new ArrayList<>();
    for (int n = 0; n < 2; n++) {
      nodes.add(
          GuardedCache.builder("run-stock", source, ValueCodec.identity())
              .sharedTier(tier())
              .keyPrefix(keyPrefix())
              .clock(clock)
              .maxWait(Duration.ofSeconds(5))
              .build());
    }
    nodes.get(0).get("G2-hot");
    nodes.get(1).get("G2-hot");
    clock.advance(Duration.ofSeconds(6));
    source.close();
    try (ExecutorService pool = Executors.newFixedThreadPool(64)) {
      for (int r = 0; r < 640; r++) {
        GuardedCache<String, String> node = nodes.get(r % 2);
        pool.execute(() -> node.get("G2-hot"));
      }
    }
    source.open();
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> nodes.stream().allMatch(n -> n.get("G2-hot").source() != Source.STALE));
    assertThat(source.loads()).isEqualTo(2);
  }
}
