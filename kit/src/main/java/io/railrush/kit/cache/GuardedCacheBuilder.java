package io.railrush.kit.cache;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.railrush.kit.lock.LockService;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Configures and builds {@link GuardedCache}s; start with {@link GuardedCache#builder}. Tuning
 * values are kept as an immutable {@link GuardedCacheSettings}, validated as they are set; {@link
 * #build()} hands the cache the settings and collaborators as they are at that moment, so changing
 * or reusing the builder afterwards never affects a cache already built.
 */
public final class GuardedCacheBuilder<K, V> {

  final String name;
  final CacheLoader<K, V> loader;
  final ValueCodec<V> codec;
  GuardedCacheSettings settings = GuardedCacheSettings.defaults();
  Clock clock = Clock.systemUTC();
  SharedTier shared;
  Function<K, String> keyToString = String::valueOf;
  DoubleSupplier random = () -> ThreadLocalRandom.current().nextDouble();
  Predicate<K> admission = key -> true;
  Function<K, V> fallback;
  Executor reloadExecutor;
  LockService rebuildLocks;
  MeterRegistry meterRegistry = new SimpleMeterRegistry();

  GuardedCacheBuilder(String name, CacheLoader<K, V> loader, ValueCodec<V> codec) {
    this.name = Objects.requireNonNull(name, "name");
    this.loader = Objects.requireNonNull(loader, "loader");
    this.codec = Objects.requireNonNull(codec, "codec");
  }

  /** Every tuning value at once (e.g. bound from configuration); later calls change single ones. */
  public GuardedCacheBuilder<K, V> settings(GuardedCacheSettings settings) {
    this.settings = Objects.requireNonNull(settings, "settings");
    return this;
  }

  /** The shared tier; without one, a private in-process tier (embedded mode). */
  public GuardedCacheBuilder<K, V> sharedTier(SharedTier tier) {
    this.shared = tier;
    return this;
  }

  /** How long a loaded value is fresh (the logical expiry, jittered downwards). */
  public GuardedCacheBuilder<K, V> ttl(Duration ttl) {
    settings = settings.withTtl(ttl);
    return this;
  }

  /** How far past {@code ttl} a copy may be before answers using it are marked degraded. */
  public GuardedCacheBuilder<K, V> grace(Duration grace) {
    settings = settings.withGrace(grace);
    return this;
  }

  /** Fraction of the lifetime used to spread expiries: 0.2 spreads a 5 s ttl over 4–5 s. */
  public GuardedCacheBuilder<K, V> jitter(double fraction) {
    settings = settings.withJitter(fraction);
    return this;
  }

  /** How long the shared backup copy lives (jittered upwards); stale copies come from it. */
  public GuardedCacheBuilder<K, V> backupTtl(Duration backupTtl) {
    settings = settings.withBackupTtl(backupTtl);
    return this;
  }

  /** How long "this key does not exist" is remembered. */
  public GuardedCacheBuilder<K, V> negativeTtl(Duration negativeTtl) {
    settings = settings.withNegativeTtl(negativeTtl);
    return this;
  }

  /** How long a caller with no copy at all waits for the reload before the fallback. */
  public GuardedCacheBuilder<K, V> maxWait(Duration maxWait) {
    settings = settings.withMaxWait(maxWait);
    return this;
  }

  /** Lease of the cluster-wide rebuild lock: longer than any load. */
  public GuardedCacheBuilder<K, V> lockLease(Duration lease) {
    settings = settings.withLockLease(lease);
    return this;
  }

  /** How often a node that lost the rebuild lock looks for the winner's value. */
  public GuardedCacheBuilder<K, V> pollInterval(Duration interval) {
    settings = settings.withPollInterval(interval);
    return this;
  }

  /**
   * At most this many source loads at once in this JVM, waiting at most {@code wait} for a slot.
   */
  public GuardedCacheBuilder<K, V> bulkhead(int maxConcurrentLoads, Duration wait) {
    settings = settings.withBulkhead(maxConcurrentLoads, wait);
    return this;
  }

  /** XFetch's beta: 1 is the paper's default, larger refreshes earlier, 0 turns it off. */
  public GuardedCacheBuilder<K, V> earlyRefreshBeta(double beta) {
    settings = settings.withEarlyRefreshBeta(beta);
    return this;
  }

  /** Early refresh happens only in this last fraction of the ttl (default 0.1). */
  public GuardedCacheBuilder<K, V> earlyRefreshWindow(double fraction) {
    settings = settings.withEarlyRefreshWindow(fraction);
    return this;
  }

  public GuardedCacheBuilder<K, V> localMaximumSize(long size) {
    settings = settings.withLocalMaximumSize(size);
    return this;
  }

  /** How long to stop calling the shared tier after it failed. */
  public GuardedCacheBuilder<K, V> tierPause(Duration pause) {
    settings = settings.withTierPause(pause);
    return this;
  }

  /** Prefix of every shared-tier key, e.g. per test or per environment. */
  public GuardedCacheBuilder<K, V> keyPrefix(String prefix) {
    settings = settings.withKeyPrefix(prefix);
    return this;
  }

  public GuardedCacheBuilder<K, V> keyToString(Function<K, String> keyToString) {
    this.keyToString = Objects.requireNonNull(keyToString, "keyToString");
    return this;
  }

  /** Keys refused here never reach a tier or the source (a Bloom filter of existing ids). */
  public GuardedCacheBuilder<K, V> admission(Predicate<K> mightExist) {
    this.admission = Objects.requireNonNull(mightExist, "mightExist");
    return this;
  }

  /** The fixed value of last resort, served degraded when nothing better is available. */
  public GuardedCacheBuilder<K, V> fallback(Function<K, V> fallback) {
    this.fallback = fallback;
    return this;
  }

  public GuardedCacheBuilder<K, V> clock(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
    return this;
  }

  /** The random source used for jitter and XFetch; tests pin it. */
  public GuardedCacheBuilder<K, V> random(DoubleSupplier random) {
    this.random = Objects.requireNonNull(random, "random");
    return this;
  }

  /**
   * The per-key rebuild lock that makes reloads single-flight across nodes: every node must use the
   * same distributed {@link LockService} (Redis, ZooKeeper, database). By default the shared tier's
   * own ({@link SharedTier#rebuildLocks()}): Redis locks for the Redis tier.
   */
  public GuardedCacheBuilder<K, V> rebuildLocks(LockService locks) {
    this.rebuildLocks = Objects.requireNonNull(locks, "locks");
    return this;
  }

  /** Where reloads run; by default a small pool of daemon platform threads per cache. */
  public GuardedCacheBuilder<K, V> reloadExecutor(Executor executor) {
    this.reloadExecutor = Objects.requireNonNull(executor, "executor");
    return this;
  }

  public GuardedCacheBuilder<K, V> meterRegistry(MeterRegistry registry) {
    this.meterRegistry = Objects.requireNonNull(registry, "registry");
    return this;
  }

  /**
   * A new cache with this builder's current settings and collaborators. Defaults are filled in for
   * this cache only (its own in-process tier, reload pool, …): the builder itself is left as it
   * was, so every {@code build()} of one builder gives the same kind of cache.
   */
  public GuardedCache<K, V> build() {
    SharedTier tier = shared != null ? shared : SharedTier.inProcess(clock);
    LockService locks = rebuildLocks != null ? rebuildLocks : tier.rebuildLocks();
    Executor executor =
        reloadExecutor != null
            ? reloadExecutor
            : defaultReloadExecutor(name, Math.max(4, settings.maxConcurrentLoads()));
    return new GuardedCache<>(this, tier, locks, executor);
  }

  /**
   * Platform threads, not virtual ones: under a flood of requests on virtual threads, a reload on a
   * virtual thread waits behind every queued request at each of its Redis and database round trips
   * (measured: refreshes taking seconds while the stale copy aged). Platform threads get the OS
   * scheduler's share of the CPU whatever the request backlog.
   */
  private static Executor defaultReloadExecutor(String cacheName, int threads) {
    return Executors.newFixedThreadPool(
        threads,
        Thread.ofPlatform().daemon().name("guarded-cache-" + cacheName + "-", 0).factory());
  }
}
