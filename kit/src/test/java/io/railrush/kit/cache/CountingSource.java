package io.railrush.kit.cache;

import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A stand-in for the database that counts loads, can be held shut (to prove nobody waits for it),
 * and knows which keys exist.
 */
final class CountingSource implements CacheLoader<String, String> {

  private final AtomicInteger loads = new AtomicInteger();
  private final AtomicInteger concurrent = new AtomicInteger();
  private final AtomicInteger maxConcurrent = new AtomicInteger();
  private final Predicate<String> exists;
  private volatile CountDownLatch gate = new CountDownLatch(0);
  private volatile long delayMillis;

  CountingSource(Predicate<String> exists) {
    this.exists = exists;
  }

  static CountingSource everyKeyExists() {
    return new CountingSource(key -> true);
  }

  @Override
  public Optional<String> load(String key) throws Exception {
    int now = concurrent.incrementAndGet();
    maxConcurrent.accumulateAndGet(now, Math::max);
    try {
      int n = loads.incrementAndGet();
      if (!gate.await(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("gate never opened");
      }
      if (delayMillis > 0) {
        Thread.sleep(delayMillis);
      }
      return exists.test(key) ? Optional.of(key + "#" + n) : Optional.empty();
    } finally {
      concurrent.decrementAndGet();
    }
  }

  /** Loads block until {@link #open()}. */
  void close() {
    gate = new CountDownLatch(1);
  }

  void open() {
    gate.countDown();
  }

  void delay(long millis) {
    this.delayMillis = millis;
  }

  int loads() {
    return loads.get();
  }

  int maxConcurrent() {
    return maxConcurrent.get();
  }
}
