package io.railrush.kit.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.railrush.kit.cache.CacheRead.Source;
import io.railrush.kit.cache.internal.CacheEntry;
import io.railrush.kit.cache.internal.EntryFormat;
import io.railrush.kit.cache.internal.TierBreaker;
import io.railrush.kit.lock.LockHandle;
import io.railrush.kit.lock.LockService;
import io.railrush.kit.lock.LockUnavailableException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
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
 */
public final class GuardedCache<K, V> {

  private final String name;
  private final CacheLoader<K, V> loader;
  private final Function<K, String> keyToString;
  private final EntryFormat<V> format;
  private final SharedTier shared;
  private final TierBreaker breaker;
  private final Clock clock;
  private final Settings settings;
  private final DoubleSupplier random;
  private final Predicate<K> admission;
  private final Function<K, V> fallback;
  private final Executor reloadExecutor;
  private final LockService rebuildLocks;
  private final Cache<K, CacheEntry<V>> local;
  private final ConcurrentHashMap<K, CompletableFuture<CacheEntry<V>>> inFlight =
      new ConcurrentHashMap<>();
  private final Semaphore bulkhead;
  private final Meters meters;

  private GuardedCache(Builder<K, V> b) {
    this.name = b.name;
    this.loader = b.loader;
    this.keyToString = b.keyToString;
    this.format = new EntryFormat<>(b.codec);
    this.clock = b.clock;
    this.shared = b.shared;
    this.breaker = new TierBreaker(b.clock, b.settings.tierPause);
    this.settings = b.settings;
    this.random = b.random;
    this.admission = b.admission;
    this.fallback = b.fallback;
    this.reloadExecutor = b.reloadExecutor;
    this.rebuildLocks = b.rebuildLocks;
    this.local =
        Caffeine.newBuilder()
            .maximumSize(b.settings.localMaximumSize)
            .expireAfterWrite(b.settings.backupTtl)
            .build();
    this.bulkhead = new Semaphore(b.settings.maxConcurrentLoads);
    this.meters = new Meters(b.meterRegistry, name);
    Gauge.builder("railrush.cache.reloads.in.flight", inFlight, Map::size)
        .description("Reloads running in this JVM")
        .tag("cache", name)
        .register(b.meterRegistry);
  }

  public static <K, V> Builder<K, V> builder(
      String name, CacheLoader<K, V> loader, ValueCodec<V> codec) {
    return new Builder<>(name, loader, codec);
  }

  public String name() {
    return name;
  }

  /** Reads {@code key}; see the class comment for what is guaranteed. */
  public CacheRead<V> get(K key) {
    Objects.requireNonNull(key, "key");
    if (!admission.test(key)) {
      meters.rejected.increment();
      return new CacheRead<>(null, clock.instant(), false, Source.REJECTED);
    }
    long now = clock.millis();
    CacheEntry<V> copy = local.getIfPresent(key);
    if (copy != null) {
      if (copy.freshAt(now)) {
        meters.localHits.increment();
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
        meters.sharedHits.increment();
        return fresh(key, sharedCopy, now, Source.SHARED);
      }
      return serveStaleWhileReloading(key, sharedCopy, now);
    }
    meters.misses.increment();
    return awaitFirstLoad(key);
  }

  /**
   * Forgets {@code key} in this JVM and in the shared tier (other JVMs keep theirs until expiry).
   */
  public void invalidate(K key) {
    local.invalidate(key);
    if (breaker.allows()) {
      try {
        shared.delete(entryKey(key));
      } catch (RuntimeException e) {
        tierFailed();
      }
    }
  }

  /** When the shared copy of {@code key} stops being fresh, and when it disappears. */
  public Optional<Expiry> describe(K key) {
    String entryKey = entryKey(key);
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

  public Settings settings() {
    return settings;
  }

  private CacheRead<V> serveStaleWhileReloading(K key, CacheEntry<V> copy, long now) {
    reload(key, copy);
    meters.stale.increment();
    return answer(copy, now, Source.STALE);
  }

  private CacheRead<V> fresh(K key, CacheEntry<V> entry, long now, Source source) {
    if (shouldRefreshEarly(key, entry, now)) {
      meters.earlyRefreshes.increment();
      reload(key, entry);
    }
    return answer(entry, now, source);
  }

  private CacheRead<V> answer(CacheEntry<V> entry, long now, Source source) {
    long age = now - entry.loadedAtMillis();
    boolean degraded = age > settings.ttl.toMillis() + settings.grace.toMillis();
    if (degraded) {
      meters.degraded.increment();
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
    if (settings.earlyRefreshBeta <= 0
        || timeLeft > settings.ttl.toMillis() * settings.earlyRefreshWindow
        || inFlight.containsKey(key)) {
      return false;
    }
    double gap = -entry.loadMillis() * settings.earlyRefreshBeta * Math.log(random.getAsDouble());
    return gap >= timeLeft;
  }

  private CacheRead<V> awaitFirstLoad(K key) {
    CompletableFuture<CacheEntry<V>> flight = reload(key, null);
    Throwable failure;
    try {
      CacheEntry<V> entry = flight.get(settings.maxWait.toMillis(), TimeUnit.MILLISECONDS);
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
      meters.degraded.increment();
      meters.fallbacks.increment();
      return new CacheRead<>(fallback.apply(key), clock.instant(), true, Source.FALLBACK);
    }
    throw new CacheUnavailableException("cache " + name + ": no value for " + key, failure);
  }

  /**
   * Starts (or joins) this JVM's one reload of {@code key}. {@code seen} is the copy the caller
   * holds; a shared copy newer than it means another node already reloaded.
   */
  private CompletableFuture<CacheEntry<V>> reload(K key, CacheEntry<V> seen) {
    CompletableFuture<CacheEntry<V>> mine = new CompletableFuture<>();
    CompletableFuture<CacheEntry<V>> running = inFlight.putIfAbsent(key, mine);
    if (running != null) {
      return running;
    }
    meters.reloads.increment();
    try {
      reloadExecutor.execute(
          () -> {
            CacheEntry<V> result = null;
            Throwable failure = null;
            try {
              result = reloadOnce(key, seen);
            } catch (Throwable e) {
              meters.loadFailures.increment();
              failure = e;
            }
            // Leave the map before waking the waiters: a caller woken by this flight must be
            // able to start the next one.
            inFlight.remove(key, mine);
            if (failure == null) {
              mine.complete(result);
            } else {
              mine.completeExceptionally(failure);
            }
          });
    } catch (RuntimeException rejected) {
      inFlight.remove(key, mine);
      mine.completeExceptionally(rejected);
    }
    return mine;
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
      won =
          rebuildLocks.tryAcquire(
              settings.keyPrefix + name + ":" + keyToString.apply(key),
              Duration.ZERO,
              settings.lockLease);
    } catch (LockUnavailableException tierDown) {
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
    long deadline = System.nanoTime() + settings.maxWait.toNanos();
    while (System.nanoTime() < deadline) {
      Thread.sleep(settings.pollInterval.toMillis());
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
    if (!bulkhead.tryAcquire(settings.bulkheadWait.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new TimeoutException(
          "cache " + name + ": more than " + settings.maxConcurrentLoads + " loads at once");
    }
    CacheEntry<V> entry;
    try {
      meters.loads.increment();
      long started = System.nanoTime();
      Optional<V> value = loader.load(key);
      long loadMillis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
      meters.loadTime.record(Duration.ofMillis(loadMillis));
      long now = clock.millis();
      Duration freshFor = value.isPresent() ? jitterDown(settings.ttl) : settings.negativeTtl;
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
    long spread = (long) (ttl.toMillis() * settings.jitter * random.getAsDouble());
    return ttl.minusMillis(spread);
  }

  private Duration jitterUp(Duration ttl) {
    long spread = (long) (ttl.toMillis() * settings.jitter * random.getAsDouble());
    return ttl.plusMillis(spread);
  }

  private CacheEntry<V> readShared(K key) {
    if (!breaker.allows()) {
      return null;
    }
    try {
      return format.read(shared.get(entryKey(key)));
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
              ? settings.negativeTtl.multipliedBy(2)
              : jitterUp(settings.backupTtl);
      shared.put(entryKey(key), format.write(entry), keep);
    } catch (RuntimeException tierDown) {
      tierFailed();
    }
  }

  private void tierFailed() {
    meters.tierFailures.increment();
    breaker.failed();
  }

  private String entryKey(K key) {
    return settings.keyPrefix + name + ":" + keyToString.apply(key);
  }

  /** Counts, as Micrometer counters tagged {@code cache=<name>}. */
  public Stats stats() {
    return new Stats(
        (long) meters.loads.count(),
        (long) meters.localHits.count(),
        (long) meters.sharedHits.count(),
        (long) meters.misses.count(),
        (long) meters.stale.count(),
        (long) meters.degraded.count(),
        (long) meters.rejected.count(),
        (long) meters.earlyRefreshes.count(),
        (long) meters.loadFailures.count(),
        (long) meters.tierFailures.count());
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

  private static final class Meters {
    final Counter loads;
    final Counter reloads;
    final Counter localHits;
    final Counter sharedHits;
    final Counter misses;
    final Counter stale;
    final Counter degraded;
    final Counter fallbacks;
    final Counter rejected;
    final Counter earlyRefreshes;
    final Counter loadFailures;
    final Counter tierFailures;
    final Timer loadTime;

    Meters(MeterRegistry registry, String cache) {
      loads = counter(registry, "railrush.cache.loads", cache, "Loads from the source of truth");
      reloads =
          counter(
              registry,
              "railrush.cache.reloads",
              cache,
              "Reloads started (each may end without a load)");
      localHits =
          Counter.builder("railrush.cache.hits")
              .tag("cache", cache)
              .tag("tier", "local")
              .register(registry);
      sharedHits =
          Counter.builder("railrush.cache.hits")
              .tag("cache", cache)
              .tag("tier", "shared")
              .register(registry);
      misses = counter(registry, "railrush.cache.misses", cache, "Reads that found no copy at all");
      stale =
          counter(registry, "railrush.cache.stale", cache, "Expired copies served during a reload");
      degraded = counter(registry, "railrush.cache.degraded", cache, "Answers marked degraded");
      fallbacks = counter(registry, "railrush.cache.fallbacks", cache, "Fallback values served");
      rejected =
          counter(
              registry, "railrush.cache.rejected", cache, "Keys refused by the admission filter");
      earlyRefreshes =
          counter(registry, "railrush.cache.early.refreshes", cache, "XFetch early refreshes");
      loadFailures =
          counter(registry, "railrush.cache.load.failures", cache, "Reloads that failed");
      tierFailures =
          counter(registry, "railrush.cache.tier.failures", cache, "Shared-tier calls that failed");
      loadTime =
          Timer.builder("railrush.cache.load.duration").tag("cache", cache).register(registry);
    }

    private static Counter counter(MeterRegistry registry, String name, String cache, String help) {
      return Counter.builder(name).description(help).tag("cache", cache).register(registry);
    }
  }

  /** Tuning, with safe defaults. */
  public static final class Settings {
    Duration ttl = Duration.ofSeconds(5);
    Duration grace = Duration.ofSeconds(10);
    double jitter = 0.2;
    Duration backupTtl = Duration.ofMinutes(10);
    Duration negativeTtl = Duration.ofSeconds(10);
    Duration maxWait = Duration.ofMillis(500);
    Duration lockLease = Duration.ofSeconds(5);
    Duration pollInterval = Duration.ofMillis(5);
    int maxConcurrentLoads = 16;
    Duration bulkheadWait = Duration.ofMillis(100);
    double earlyRefreshBeta = 1.0;
    double earlyRefreshWindow = 0.1;
    long localMaximumSize = 100_000;
    Duration tierPause = Duration.ofSeconds(1);
    String keyPrefix = "railrush:cache:";

    public Duration ttl() {
      return ttl;
    }

    public Duration grace() {
      return grace;
    }

    public double jitter() {
      return jitter;
    }

    public Duration backupTtl() {
      return backupTtl;
    }
  }

  public static final class Builder<K, V> {
    private final String name;
    private final CacheLoader<K, V> loader;
    private final ValueCodec<V> codec;
    private final Settings settings = new Settings();
    private Clock clock = Clock.systemUTC();
    private SharedTier shared;
    private Function<K, String> keyToString = String::valueOf;
    private DoubleSupplier random = () -> ThreadLocalRandom.current().nextDouble();
    private Predicate<K> admission = key -> true;
    private Function<K, V> fallback;
    private Executor reloadExecutor;
    private LockService rebuildLocks;
    private MeterRegistry meterRegistry = new SimpleMeterRegistry();

    private Builder(String name, CacheLoader<K, V> loader, ValueCodec<V> codec) {
      this.name = Objects.requireNonNull(name, "name");
      this.loader = Objects.requireNonNull(loader, "loader");
      this.codec = Objects.requireNonNull(codec, "codec");
    }

    /** The shared tier; without one, a private in-process tier (embedded mode). */
    public Builder<K, V> sharedTier(SharedTier tier) {
      this.shared = tier;
      return this;
    }

    /** How long a loaded value is fresh (the logical expiry, jittered downwards). */
    public Builder<K, V> ttl(Duration ttl) {
      settings.ttl = positive(ttl, "ttl");
      return this;
    }

    /** How far past {@code ttl} a copy may be before answers using it are marked degraded. */
    public Builder<K, V> grace(Duration grace) {
      settings.grace = Objects.requireNonNull(grace, "grace");
      return this;
    }

    /** Fraction of the lifetime used to spread expiries: 0.2 spreads a 5 s ttl over 4–5 s. */
    public Builder<K, V> jitter(double fraction) {
      if (fraction < 0 || fraction >= 1) {
        throw new IllegalArgumentException("jitter must be in [0, 1)");
      }
      settings.jitter = fraction;
      return this;
    }

    /** How long the shared backup copy lives (jittered upwards); stale copies come from it. */
    public Builder<K, V> backupTtl(Duration backupTtl) {
      settings.backupTtl = positive(backupTtl, "backupTtl");
      return this;
    }

    /** How long "this key does not exist" is remembered. */
    public Builder<K, V> negativeTtl(Duration negativeTtl) {
      settings.negativeTtl = positive(negativeTtl, "negativeTtl");
      return this;
    }

    /** How long a caller with no copy at all waits for the reload before the fallback. */
    public Builder<K, V> maxWait(Duration maxWait) {
      settings.maxWait = positive(maxWait, "maxWait");
      return this;
    }

    /** Lease of the cluster-wide rebuild lock: longer than any load. */
    public Builder<K, V> lockLease(Duration lease) {
      settings.lockLease = positive(lease, "lockLease");
      return this;
    }

    /**
     * At most this many source loads at once in this JVM, waiting at most {@code wait} for a slot.
     */
    public Builder<K, V> bulkhead(int maxConcurrentLoads, Duration wait) {
      if (maxConcurrentLoads < 1) {
        throw new IllegalArgumentException("maxConcurrentLoads must be >= 1");
      }
      settings.maxConcurrentLoads = maxConcurrentLoads;
      settings.bulkheadWait = Objects.requireNonNull(wait, "wait");
      return this;
    }

    /** XFetch's beta: 1 is the paper's default, larger refreshes earlier, 0 turns it off. */
    public Builder<K, V> earlyRefreshBeta(double beta) {
      settings.earlyRefreshBeta = beta;
      return this;
    }

    /** Early refresh happens only in this last fraction of the ttl (default 0.1). */
    public Builder<K, V> earlyRefreshWindow(double fraction) {
      if (fraction < 0 || fraction > 1) {
        throw new IllegalArgumentException("earlyRefreshWindow must be in [0, 1]");
      }
      settings.earlyRefreshWindow = fraction;
      return this;
    }

    public Builder<K, V> localMaximumSize(long size) {
      settings.localMaximumSize = size;
      return this;
    }

    /** How long to stop calling the shared tier after it failed. */
    public Builder<K, V> tierPause(Duration pause) {
      settings.tierPause = Objects.requireNonNull(pause, "pause");
      return this;
    }

    /** Prefix of every shared-tier key, e.g. per test or per environment. */
    public Builder<K, V> keyPrefix(String prefix) {
      settings.keyPrefix = Objects.requireNonNull(prefix, "prefix");
      return this;
    }

    public Builder<K, V> keyToString(Function<K, String> keyToString) {
      this.keyToString = Objects.requireNonNull(keyToString, "keyToString");
      return this;
    }

    /** Keys refused here never reach a tier or the source (a Bloom filter of existing ids). */
    public Builder<K, V> admission(Predicate<K> mightExist) {
      this.admission = Objects.requireNonNull(mightExist, "mightExist");
      return this;
    }

    /** The fixed value of last resort, served degraded when nothing better is available. */
    public Builder<K, V> fallback(Function<K, V> fallback) {
      this.fallback = fallback;
      return this;
    }

    public Builder<K, V> clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** The random source used for jitter and XFetch; tests pin it. */
    public Builder<K, V> random(DoubleSupplier random) {
      this.random = Objects.requireNonNull(random, "random");
      return this;
    }

    /**
     * The per-key rebuild lock that makes reloads single-flight across nodes: every node must use
     * the same distributed {@link LockService} (Redis, ZooKeeper, database). By default the shared
     * tier's own ({@link SharedTier#rebuildLocks()}): Redis locks for the Redis tier.
     */
    public Builder<K, V> rebuildLocks(LockService locks) {
      this.rebuildLocks = Objects.requireNonNull(locks, "locks");
      return this;
    }

    /** Where reloads run; by default a small pool of daemon platform threads per cache. */
    public Builder<K, V> reloadExecutor(Executor executor) {
      this.reloadExecutor = Objects.requireNonNull(executor, "executor");
      return this;
    }

    public Builder<K, V> meterRegistry(MeterRegistry registry) {
      this.meterRegistry = Objects.requireNonNull(registry, "registry");
      return this;
    }

    public GuardedCache<K, V> build() {
      if (shared == null) {
        shared = SharedTier.inProcess(clock);
      }
      if (rebuildLocks == null) {
        rebuildLocks = shared.rebuildLocks();
      }
      if (reloadExecutor == null) {
        reloadExecutor = defaultReloadExecutor(name, Math.max(4, settings.maxConcurrentLoads));
      }
      return new GuardedCache<>(this);
    }

    /**
     * Platform threads, not virtual ones: under a flood of requests on virtual threads, a reload on
     * a virtual thread waits behind every queued request at each of its Redis and database round
     * trips (measured: refreshes taking seconds while the stale copy aged). Platform threads get
     * the OS scheduler's share of the CPU whatever the request backlog.
     */
    private static Executor defaultReloadExecutor(String cacheName, int threads) {
      return Executors.newFixedThreadPool(
          threads,
          Thread.ofPlatform().daemon().name("guarded-cache-" + cacheName + "-", 0).factory());
    }

    private static Duration positive(Duration d, String what) {
      if (d == null || d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(what + " must be positive");
      }
      return d;
    }
  }
}
