package io.railrush.kit.cache.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.railrush.kit.cache.GuardedCache;
import java.time.Duration;

/** The meters of one guarded cache, tagged {@code cache=<name>}. */
public final class CacheMeters {

  private final Counter loads;
  private final Counter reloads;
  private final Counter localHits;
  private final Counter sharedHits;
  private final Counter misses;
  private final Counter stale;
  private final Counter degraded;
  private final Counter fallbacks;
  private final Counter rejected;
  private final Counter earlyRefreshes;
  private final Counter loadFailures;
  private final Counter tierFailures;
  private final Timer loadTime;

  public CacheMeters(MeterRegistry registry, String cache) {
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
        counter(registry, "railrush.cache.rejected", cache, "Keys refused by the admission filter");
    earlyRefreshes =
        counter(registry, "railrush.cache.early.refreshes", cache, "XFetch early refreshes");
    loadFailures = counter(registry, "railrush.cache.load.failures", cache, "Reloads that failed");
    tierFailures =
        counter(registry, "railrush.cache.tier.failures", cache, "Shared-tier calls that failed");
    loadTime = Timer.builder("railrush.cache.load.duration").tag("cache", cache).register(registry);
  }

  /** The gauge of reloads running in this JVM (held weakly, like every Micrometer gauge). */
  public void gaugeInFlight(MeterRegistry registry, String cache, InFlightLoads<?, ?> inFlight) {
    Gauge.builder("railrush.cache.reloads.in.flight", inFlight, InFlightLoads::size)
        .description("Reloads running in this JVM")
        .tag("cache", cache)
        .register(registry);
  }

  private static Counter counter(MeterRegistry registry, String name, String cache, String help) {
    return Counter.builder(name).description(help).tag("cache", cache).register(registry);
  }

  /** A load from the source begins (counted whether or not it succeeds). */
  public void loadStarted() {
    loads.increment();
  }

  /** A load from the source succeeded after {@code took}. */
  public void loadTook(Duration took) {
    loadTime.record(took);
  }

  public void reloadStarted() {
    reloads.increment();
  }

  public void localHit() {
    localHits.increment();
  }

  public void sharedHit() {
    sharedHits.increment();
  }

  public void miss() {
    misses.increment();
  }

  public void staleServed() {
    stale.increment();
  }

  public void degraded() {
    degraded.increment();
  }

  /** A fallback value served: counted as degraded too. */
  public void fallbackServed() {
    degraded.increment();
    fallbacks.increment();
  }

  public void rejected() {
    rejected.increment();
  }

  public void earlyRefresh() {
    earlyRefreshes.increment();
  }

  public void loadFailed() {
    loadFailures.increment();
  }

  public void tierFailed() {
    tierFailures.increment();
  }

  public GuardedCache.Stats stats() {
    return new GuardedCache.Stats(
        (long) loads.count(),
        (long) localHits.count(),
        (long) sharedHits.count(),
        (long) misses.count(),
        (long) stale.count(),
        (long) degraded.count(),
        (long) rejected.count(),
        (long) earlyRefreshes.count(),
        (long) loadFailures.count(),
        (long) tierFailures.count());
  }
}
