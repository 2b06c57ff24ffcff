package io.railrush.app.catalog;

import io.railrush.kit.filter.KnownIds;
import java.time.Duration;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.FixedDelayTask;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.stereotype.Component;

/**
 * The Bloom filter of existing run ids (缓存穿透). Rebuilt from the database at start-up, after the
 * sample data loads, and whenever a node sees the number of runs change (runs created on another
 * node reach this one within {@code railrush.catalog.known-ids-refresh}); runs created here are
 * added at once.
 */
@Component
class KnownRunIds implements SchedulingConfigurer {

  private final RunRepository runs;
  private final Duration refreshEvery;
  private final KnownIds filter = new KnownIds(KnownIds.DEFAULT_FALSE_POSITIVE_RATE);
  private volatile long builtFromCount = -1;

  KnownRunIds(RunRepository runs, CatalogProperties properties) {
    this.runs = runs;
    this.refreshEvery = properties.knownIdsRefresh();
    refresh();
  }

  boolean mightExist(String runId) {
    return filter.mightContain(runId);
  }

  void add(String runId) {
    filter.add(runId);
  }

  @Override
  public void configureTasks(ScheduledTaskRegistrar tasks) {
    tasks.addFixedDelayTask(new FixedDelayTask(this::refreshIfChanged, refreshEvery, refreshEvery));
  }

  void refreshIfChanged() {
    long count = runs.count();
    if (count != builtFromCount) {
      rebuild(count);
    }
  }

  void refresh() {
    rebuild(runs.count());
  }

  private synchronized void rebuild(long count) {
    filter.rebuild(runs.allIds());
    builtFromCount = count;
  }
}
