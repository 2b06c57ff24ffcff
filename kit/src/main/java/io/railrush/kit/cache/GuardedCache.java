package io.railrush.kit.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.railrush.kit.BackendUnavailableException;
import io.railrush.kit.cache.CacheRead.Source;
import io.railrush.kit.cache.internal.CacheEntry;
import io.railrush.kit.cache.internal.CacheMeters;
import io.railrush.kit.cache.internal.ClockTicker;
import io.railrush.kit.cache.internal.EntryFormat;
import io.railrush.kit.cache.internal.InFlightLoads;
import io.railrush.kit.cache.internal.TierBreaker;
import io.railrush.kit.lock.LockHandle;
import io.railrush.kit.lock.LockService;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.DoubleSupplier;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A two-level cache-aside that survives expiry storms.
 *
 * <p>Guarantees:
 *
 * <ul>
 *   <li><b>Single flight across the cluster</b> (缓存击穿): when an entry's logical expiry passes,
 *       calls in one JVM share one reload, and JVMs share one rebuild lock per key (the lock kit:
 *       Redis, ZooKeeper or the database); the winner re-reads the shared tier before loading, and
 *       shares its value only while it still holds the lock, so one expiry costs the source at most
 *       one load in the whole cluster.
 *   <li><b>Nobody waits when a copy exists</b>: an expired copy is returned at once while the
 *       reload runs; it is marked {@code degraded} only when older than {@code ttl + grace}.
 *   <li><b>Bounded wait otherwise</b>: with no copy at all, a caller waits at most {@code maxWait}
 *       for the reload, then gets the fallback value (degraded) or {@link
 *       CacheUnavailableException}.
 *   <li><b>Spread expiries</b> (缓存雪崩): the logical freshness and the physical lifetime of the
 *       shared copy are both jittered, so keys written together expire apart.
 *   <li><b>Early refresh</b>: probabilistic early expiration (XFetch, Vattani et al., PVLDB 2015)
 *       refreshes hot entries shortly before they expire, so they are rarely seen expired.
 *   <li><b>Penetration</b> (缓存穿透): an admission predicate (a Bloom filter) refuses unknown keys
 *       before any work; missing keys found by the loader are remembered for {@code negativeTtl}.
 *   <li><b>Shared tier down</b>: calls fall back to the in-process tier and to the source through a
 *       bulkhead of at most {@code maxConcurrentLoads} loads per JVM; nothing throws because of the
 *       tier.
 * </ul>
 *
 * <p>This class is the read and reload algorithm; {@link GuardedCacheBuilder} configures it and
 * {@link GuardedCacheSettings} holds its tuning.
 */
public final class GuardedCache<K, V> {

  private final String name;
  private final CacheLoader<K, V> loader;
  private final Function<K, String> keyToString;
  private final EntryFormat<V> format;
  private final SharedTier shared;
  private final TierBreaker breaker;
  private final Clock clock;
  private final GuardedCacheSettings settings;
  private final String sharedKeyPrefix;
  private final long ttlMillis;
  private final long degradedAfterMillis;
  private final double jitter;
  private final double earlyRefreshBeta;
  private final double earlyRefreshWindowMillis;
  private final DoubleSupplier random;
  private final Predicate<K> admission;
  private final Function<K, V> fallback;
  private final Executor reloadExecutor;
  private final LockService rebuildLocks;
  private final Cache<K, CacheEntry<V>> local;
  private final InFlightLoads<K, CacheEntry<V>> inFlight;
  private final Semaphore bulkhead;
  private final CacheMeters meters;

  /** Copies everything it needs out of {@code b}: the builder may change or build again later. */
  GuardedCache(
      GuardedCacheBuilder<K, V> b,
      SharedTier shared,
      LockService rebuildLocks,
      Executor reloadExecutor) {
    this.name = b.name;
    this.loader = b.loader;
    this.keyToString = b.keyToString;
    this.format = new EntryFormat<>(b.codec);
    this.clock = b.clock;
    this.settings = b.settings;
    this.sharedKeyPrefix = settings.keyPrefix() + name + ":";
    this.ttlMillis = settings.ttl().toMillis();
    this.degradedAfterMillis = ttlMillis + settings.grace().toMillis();
    this.jitter = settings.jitter();
    this.earlyRefreshBeta = settings.earlyRefreshBeta();
    this.earlyRefreshWindowMillis = ttlMillis * settings.earlyRefreshWindow();
    this.random = b.random;
    this.admission = b.admission;
    this.fallback = b.fallback;
    this.shared = shared;
    this.rebuildLocks = rebuildLocks;
    this.reloadExecutor = reloadExecutor;
    this.breaker = new TierBreaker(clock, settings.tierPause());
    this.local =
        Caffeine.newBuilder()
            .ticker(ClockTicker.of(clock))
            .maximumSize(settings.localMaximumSize())
            .expireAfterWrite(settings.backupTtl())
            .build();
    this.bulkhead = new Semaphore(settings.maxConcurrentLoads());
    this.meters = new CacheMeters(b.meterRegistry, name);
    this.inFlight = new InFlightLoads<>(meters::reloadStarted, meters::loadFailed);
    meters.gaugeInFlight(b.meterRegistry, name, inFlight);
  }

  public static <K, V> GuardedCacheBuilder<K, V> builder(
      String name, CacheLoader<K, V> loader, ValueCodec<V> codec) {
    return new GuardedCacheBuilder<>(name, loader, codec);
  }

  public String name() {
    return name;
  }

  /** The settings this cache was built with. */
  public GuardedCacheSettings settings() {
    return settings;
  }

  /** Reads {@code key}; see the class comment for what is guaranteed. */
  public CacheRead<V> get(K key) {
    Objects.requireNonNull(key, "key");
    if (!admission.test(key)) {
      meters.rejected();
      return new CacheRead<>(null, clock.instant(), false, Source.REJECTED);
    }
    long now = clock.millis();
    CacheEntry<V> copy = local.getIfPresent(key);
    if (copy != null) {
      if (copy.freshAt(now)) {
        meters.localHit();
        return fresh(key, copy, now, Source.LOCAL);
      }
      // Expired here: one reload per JVM looks at the shared tier and, if need be, the source.
      // Everyone else answers from the copy at once and touches nothing remote.
      return serveStaleWhileReloading(key, copy, now);
    }
    CacheEntry<V> sharedCopy = readShared(key);
    if (sharedCopy != null) {
      local.put(key, sharedCopy);
      if (sharedCopy.freshAt(now)) {
        meters.sharedHit();
        return fresh(key, sharedCopy, now, Source.SHARED);
      }
      return serveStaleWhileReloading(key, sharedCopy, now);
    }
    meters.miss();
    return awaitFirstLoad(key);
  }

  /**
   * Forgets {@code key} in this JVM and in the shared tier (other JVMs keep theirs until expiry).
   */
  public void invalidate(K key) {
    local.invalidate(key);
    if (breaker.allows()) {
      try {
        shared.delete(sharedKey(key));
      } catch (RuntimeException e) {
        tierFailed();
      }
    }
  }

  /** When the shared copy of {@code key} stops being fresh, and when it disappears. */
  public Optional<Expiry> describe(K key) {
    String entryKey = sharedKey(key);
    CacheEntry<V> entry = format.read(shared.get(entryKey));
    OptionalLong ttl = shared.ttlMillis(entryKey);
    if (entry == null || ttl.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new Expiry(
            Instant.ofEpochMilli(entry.loadedAtMillis()),
            Instant.ofEpochMilli(entry.freshUntilMillis()),
            Instant.ofEpochMilli(clock.millis() + ttl.getAsLong())));
  }

  /**
   * The lifetimes of one shared copy: fresh until {@code freshUntil}, kept until {@code goneAt}.
   */
  public record Expiry(Instant loadedAt, Instant freshUntil, Instant goneAt) {}

  /** Counts, as Micrometer counters tagged {@code cache=<name>}. */
  public Stats stats() {
    return meters.stats();
  }

  public record Stats(
      long loads,
      long localHits,
      long sharedHits,
      long misses,
      long staleServed,
      long degraded,
      long rejected,
      long earlyRefreshes,
      long loadFailures,
      long tierFailures) {}

  private CacheRead<V> serveStaleWhileReloading(K key, CacheEntry<V> copy, long now) {
    reload(key, copy);
    meters.staleServed();
    return answer(copy, now, Source.STALE);
  }

  private CacheRead<V> fresh(K key, CacheEntry<V> entry, long now, Source source) {
    if (shouldRefreshEarly(key, entry, now)) {
      meters.earlyRefresh();
      reload(key, entry);
    }
    return answer(entry, now, source);
  }

  private CacheRead<V> answer(CacheEntry<V> entry, long now, Source source) {
    long age = now - entry.loadedAtMillis();
    boolean degraded = age > degradedAfterMillis;
    if (degraded) {
      meters.degraded();
    }
    return new CacheRead<>(
        entry.value(), Instant.ofEpochMilli(entry.loadedAtMillis()), degraded, source);
  }

  /**
   * XFetch: refresh when {@code -delta * beta * ln(rand) >= timeLeft}. Only inside the last {@code
   * earlyRefreshWindow} of the ttl: a key read N times a second refreshes about {@code delta *
   * ln(N)} early, which on short ttls (1 s, 20 ms loads, 10^6 reads/s: ~30 %) would nearly double
   * the load rate for no gain.
   */
  private boolean shouldRefreshEarly(K key, CacheEntry<V> entry, long now) {
    long timeLeft = entry.freshUntilMillis() - now;
    if (earlyRefreshBeta <= 0 || timeLeft > earlyRefreshWindowMillis || inFlight.isRunning(key)) {
      return false;
    }
    double gap = -entry.loadMillis() * earlyRefreshBeta * Math.log(random.getAsDouble());
    return gap >= timeLeft;
  }

  private CacheRead<V> awaitFirstLoad(K key) {
    CompletableFuture<CacheEntry<V>> flight = reload(key, null);
    Throwable failure;
    try {
      CacheEntry<V> entry = flight.get(settings.maxWait().toMillis(), TimeUnit.MILLISECONDS);
      return answer(entry, clock.millis(), Source.LOADED);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      failure = e;
    } catch (ExecutionException e) {
      failure = e.getCause();
    } catch (TimeoutException e) {
      failure = e;
    }
    if (fallback != null) {
      meters.fallbackServed();
      return new CacheRead<>(fallback.apply(key), clock.instant(), true, Source.FALLBACK);
    }
    throw new CacheUnavailableException("cache " + name + ": no value for " + key, failure);
  }

  /**
   * Starts (or joins) this JVM's one reload of {@code key}. {@code seen} is the copy the caller
   * holds; a shared copy newer than it means another node already reloaded.
   */
  private CompletableFuture<CacheEntry<V>> reload(K key, CacheEntry<V> seen) {
    return inFlight.startOrJoin(key, reloadExecutor, () -> reloadOnce(key, seen));
  }

  private CacheEntry<V> reloadOnce(K key, CacheEntry<V> seen) throws Exception {
    if (!breaker.allows()) {
      return loadAndStore(key, null);
    }
    CacheEntry<V> refreshedElsewhere = newerFreshSharedCopy(key, seen);
    if (refreshedElsewhere != null) {
      return refreshedElsewhere;
    }
    Optional<LockHandle> won;
    try {
      won = rebuildLocks.tryAcquire(sharedKey(key), Duration.ZERO, settings.lockLease());
    } catch (BackendUnavailableException tierDown) {
      tierFailed();
      return loadAndStore(key, null);
    }
    if (won.isEmpty()) {
      return awaitOtherLoader(key, seen);
    }
    try (LockHandle lock = won.get()) {
      // Double check under the lock: the previous holder may have just stored a fresh value.
      CacheEntry<V> refreshedMeanwhile = newerFreshSharedCopy(key, seen);
      return refreshedMeanwhile != null ? refreshedMeanwhile : loadAndStore(key, lock);
    }
  }

  private CacheEntry<V> newerFreshSharedCopy(K key, CacheEntry<V> seen) {
    CacheEntry<V> sharedCopy = readShared(key);
    if (sharedCopy != null && sharedCopy.newerThan(seen) && sharedCopy.freshAt(clock.millis())) {
      local.put(key, sharedCopy);
      return sharedCopy;
    }
    return null;
  }

  /** Someone in the cluster holds the rebuild lock: poll the shared tier for their result. */
  private CacheEntry<V> awaitOtherLoader(K key, CacheEntry<V> seen) throws Exception {
    long deadline = System.nanoTime() + settings.maxWait().toNanos();
    while (System.nanoTime() < deadline) {
      Thread.sleep(settings.pollInterval().toMillis());
      CacheEntry<V> sharedCopy = readShared(key);
      if (sharedCopy != null && sharedCopy.newerThan(seen)) {
        local.put(key, sharedCopy);
        return sharedCopy;
      }
      if (!breaker.allows()) {
        return loadAndStore(key, null);
      }
    }
    throw new TimeoutException(
        "cache " + name + ": the loader holding the lock for " + key + " did not finish");
  }

  /**
   * Loads from the source; shares the result only while {@code lock} (the rebuild lock, null when
   * the shared tier is down) is still held — a loader that lost its lease keeps its value local.
   */
  private CacheEntry<V> loadAndStore(K key, LockHandle lock) throws Exception {
    if (!bulkhead.tryAcquire(settings.bulkheadWait().toMillis(), TimeUnit.MILLISECONDS)) {
      throw new TimeoutException(
          "cache " + name + ": more than " + settings.maxConcurrentLoads() + " loads at once");
    }
    CacheEntry<V> entry;
    try {
      meters.loadStarted();
      long started = System.nanoTime();
      Optional<V> value = loader.load(key);
      long loadMillis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
      meters.loadTook(Duration.ofMillis(loadMillis));
      long now = clock.millis();
      Duration freshFor = value.isPresent() ? jitterDown(settings.ttl()) : settings.negativeTtl();
      entry = new CacheEntry<>(value.orElse(null), now, now + freshFor.toMillis(), loadMillis);
    } finally {
      bulkhead.release();
    }
    local.put(key, entry);
    if (lock != null && lock.isHeld()) {
      writeShared(key, entry);
    }
    return entry;
  }

  private Duration jitterDown(Duration ttl) {
    long spread = (long) (ttl.toMillis() * jitter * random.getAsDouble());
    return ttl.minusMillis(spread);
  }

  private Duration jitterUp(Duration ttl) {
    long spread = (long) (ttl.toMillis() * jitter * random.getAsDouble());
    return ttl.plusMillis(spread);
  }

  private CacheEntry<V> readShared(K key) {
    if (!breaker.allows()) {
      return null;
    }
    try {
      return format.read(shared.get(sharedKey(key)));
    } catch (RuntimeException tierDown) {
      tierFailed();
      return null;
    }
  }

  private void writeShared(K key, CacheEntry<V> entry) {
    if (!breaker.allows()) {
      return;
    }
    try {
      Duration keep =
          entry.value() == null
              ? settings.negativeTtl().multipliedBy(2)
              : jitterUp(settings.backupTtl());
      shared.put(sharedKey(key), format.write(entry), keep);
    } catch (RuntimeException tierDown) {
      tierFailed();
    }
  }

  private void tierFailed() {
    meters.tierFailed();
    breaker.failed();
  }

  /**
   * The one name of {@code key} outside this JVM: its entry in the shared tier and its rebuild lock
   * ({@code <keyPrefix><cache name>:<key>}).
   */
  private String sharedKey(K key) {
    return sharedKeyPrefix + keyToString.apply(key);
  }
}
