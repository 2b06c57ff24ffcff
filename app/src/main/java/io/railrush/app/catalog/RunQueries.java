package io.railrush.app.catalog;

import io.micrometer.core.instrument.MeterRegistry;
import io.railrush.app.web.ApiException;
import io.railrush.kit.cache.CacheRead;
import io.railrush.kit.cache.GuardedCache;
import io.railrush.kit.cache.SharedTier;
import io.railrush.kit.lock.LockService;
import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Service;
import tools.jackson.databind.ObjectMapper;

/**
 * 查票: every read of the catalog goes through a guarded cache — {@code run-stock} for one run
 * (detail and remaining seats), {@code run-search} for timetable searches.
 */
@Service
class RunQueries {

  record SearchKey(String origin, String destination, LocalDate date, int limit) {
    @Override
    public String toString() {
      return nullToEmpty(origin)
          + "|"
          + nullToEmpty(destination)
          + "|"
          + (date == null ? "" : date)
          + "|"
          + limit;
    }

    private static String nullToEmpty(String s) {
      return s == null ? "" : s;
    }
  }

  record RunList(List<Run> runs) {}

  private final GuardedCache<String, Run> byId;
  private final GuardedCache<SearchKey, RunList> searches;

  RunQueries(
      RunRepository runs,
      KnownRunIds knownIds,
      SharedTier sharedTier,
      LockService rebuildLocks,
      QueryCacheProperties properties,
      Clock clock,
      MeterRegistry meters,
      ObjectMapper json) {
    this.byId =
        GuardedCache.builder("run-stock", runs::find, new JsonCodec<>(json, Run.class))
            .settings(properties.runStock())
            .clock(clock)
            .meterRegistry(meters)
            .sharedTier(sharedTier)
            .rebuildLocks(rebuildLocks)
            .admission(knownIds::mightExist)
            .build();
    this.searches =
        GuardedCache.<SearchKey, RunList>builder(
                "run-search",
                key ->
                    Optional.of(
                        new RunList(
                            runs.search(key.origin(), key.destination(), key.date(), key.limit()))),
                new JsonCodec<>(json, RunList.class))
            .settings(properties.runSearch())
            .clock(clock)
            .meterRegistry(meters)
            .sharedTier(sharedTier)
            .rebuildLocks(rebuildLocks)
            .build();
  }

  /** The run, as fresh as the cache allows; 404 when it does not exist. */
  CacheRead<Run> run(String runId) {
    CacheRead<Run> read = byId.get(runId);
    if (!read.present()) {
      throw ApiException.notFound("run " + runId);
    }
    return read;
  }

  CacheRead<RunList> search(SearchKey key) {
    return searches.get(key);
  }

  /** A run was just created: drop any "does not exist" this node remembered for it. */
  void forget(String runId) {
    byId.invalidate(runId);
  }
}
