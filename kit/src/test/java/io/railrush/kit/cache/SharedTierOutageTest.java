package io.railrush.kit.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.railrush.kit.cache.CacheRead.Source;
import io.railrush.kit.lock.Locks;
import io.railrush.kit.redis.RedisConnector;
import io.railrush.kit.testing.RedisServerProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Redis unreachable or killed mid-run: answers keep coming, loads stay inside the bulkhead. */
@Tag("redis")
class SharedTierOutageTest {

  private static final int BULKHEAD = 4;

  private static GuardedCache<String, String> node(CountingSource source, RedisConnector redis) {
    return GuardedCache.builder("run-stock", source, ValueCodec.identity())
        .sharedTier(SharedTier.redis(redis))
        .rebuildLocks(Locks.redis(redis, "outage:lock:"))
        .ttl(Duration.ofMillis(200))
        .grace(Duration.ofSeconds(5))
        .maxWait(Duration.ofSeconds(2))
        .bulkhead(BULKHEAD, Duration.ofSeconds(2))
        // eight times the bulkhead: the bulkhead, not a small pool, must be what bounds the loads
        .reloadExecutor(java.util.concurrent.Executors.newFixedThreadPool(BULKHEAD * 8))
        .fallback(key -> "fallback")
        .build();
  }

  @Test
  void aRefusingRedisNeverBreaksQueriesAndLoadsStayInsideTheBulkhead() throws Exception {
    int refusingPort = RedisServerProcess.freePort();
    CountingSource source = CountingSource.everyKeyExists();
    source.delay(5);
    try (RedisConnector redis = RedisConnector.of("redis://127.0.0.1:" + refusingPort)) {
      GuardedCache<String, String> cache = node(source, redis);
      List<CacheRead<String>> answers = hammer(cache, 200, 64, Duration.ofSeconds(2), null);
      assertThat(answers).isNotEmpty().allSatisfy(a -> assertThat(a.value()).isNotNull());
      assertThat(answers).anySatisfy(a -> assertThat(a.source()).isEqualTo(Source.LOADED));
      assertThat(source.maxConcurrent()).isBetween(1, BULKHEAD);
    }
  }

  @Test
  void redisKilledMidRunKeepsQueriesAnswered() throws Exception {
    CountingSource source = CountingSource.everyKeyExists();
    source.delay(5);
    try (RedisServerProcess server = RedisServerProcess.start();
        RedisConnector redis = RedisConnector.of(server.url())) {
      GuardedCache<String, String> cache = node(source, redis);
      List<CacheRead<String>> answers = hammer(cache, 200, 64, Duration.ofSeconds(3), server);
      assertThat(redis.connected()).isFalse();
      assertThat(answers).hasSizeGreaterThan(1_000);
      assertThat(answers).allSatisfy(a -> assertThat(a.value()).isNotNull());
      assertThat(source.maxConcurrent()).isBetween(1, BULKHEAD);
      // still answered from memory and the source once Redis is gone
      assertThat(cache.get("run-1").value()).isNotNull();
    }
  }

  /**
   * {@code threads} readers over {@code keys} keys for {@code duration}; kills {@code server}
   * halfway.
   */
  private static List<CacheRead<String>> hammer(
      GuardedCache<String, String> cache,
      int keys,
      int threads,
      Duration duration,
      RedisServerProcess server)
      throws Exception {
    ConcurrentLinkedQueue<CacheRead<String>> answers = new ConcurrentLinkedQueue<>();
    AtomicBoolean running = new AtomicBoolean(true);
    CountDownLatch start = new CountDownLatch(1);
    try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
      List<Future<?>> readers = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int seed = t;
        readers.add(
            pool.submit(
                () -> {
                  start.await();
                  int i = seed;
                  while (running.get()) {
                    answers.add(cache.get("run-" + (i++ % keys)));
                  }
                  return null;
                }));
      }
      start.countDown();
      long half = duration.toMillis() / 2;
      Thread.sleep(half);
      if (server != null) {
        server.kill();
      }
      Thread.sleep(duration.toMillis() - half);
      running.set(false);
      for (Future<?> reader : readers) {
        reader.get(30, TimeUnit.SECONDS); // an exception in any reader fails the test
      }
    }
    return new ArrayList<>(answers);
  }
}
