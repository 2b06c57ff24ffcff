package io.railrush.app.grab;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.FixedDelayTask;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.stereotype.Component;

/**
 * The order pipeline's backlog, sampled a few times a second so grabs can be shed (503 BUSY,
 * "queueing, retry later": 服务降级) without asking the bus on every request.
 */
@Component
class PipelineBacklog implements SchedulingConfigurer {

  private static final Logger log = LoggerFactory.getLogger(PipelineBacklog.class);
  private static final int DEAD_EVERY = 20;

  private final GrabBus bus;
  private final long limit;
  private final Duration sampleEvery;
  private volatile long current;

  /** Dead-lettered grabs, sampled every {@link #DEAD_EVERY} backlog samples (NaN: unknown). */
  private volatile double dead = Double.NaN;

  private int samples;
  private volatile long sampledAtNanos = System.nanoTime();

  /** Since when every sample has read an empty queue (Long.MAX_VALUE: it is not empty). */
  private volatile long emptySinceNanos = Long.MAX_VALUE;

  PipelineBacklog(GrabBus bus, GrabProperties properties, MeterRegistry meters) {
    this.bus = bus;
    this.limit = properties.backlogLimit();
    this.sampleEvery = properties.backlogSampleEvery();
    Gauge.builder("railrush.grabs.queued", this, PipelineBacklog::current)
        .description("accepted grabs waiting for the order writer (the last sample)")
        .register(meters);
    Gauge.builder("railrush.grabs.dead", this, PipelineBacklog::dead)
        .description("accepted grabs the order writer refused until dead-lettered (sampled)")
        .register(meters);
  }

  @Override
  public void configureTasks(ScheduledTaskRegistrar tasks) {
    tasks.addFixedDelayTask(new FixedDelayTask(this::sample, sampleEvery, Duration.ZERO));
  }

  void sample() {
    if (samples++ % DEAD_EVERY == 0) {
      try {
        dead = bus.dead(); // a count or a broker round trip: not on every scrape
      } catch (RuntimeException unknown) {
        dead = Double.NaN;
      }
    }
    try {
      long now = System.nanoTime();
      current = bus.backlog();
      sampledAtNanos = now;
      if (current > 0) {
        emptySinceNanos = Long.MAX_VALUE;
      } else if (emptySinceNanos == Long.MAX_VALUE) {
        emptySinceNanos = now;
      }
    } catch (RuntimeException e) {
      log.debug("backlog unknown: {}", e.getMessage());
    }
  }

  long current() {
    return current;
  }

  private double dead() {
    return dead;
  }

  boolean over() {
    return current > limit;
  }

  /**
   * Whether the queue has read empty, in fresh samples, for at least {@code quiet}. The queue's
   * count leaves out what consumers have prefetched; a prefetched batch is usually written within a
   * moment, so a long enough quiet makes a grab still on its way unlikely — not impossible: a
   * stalled consumer (GC, SIGSTOP) holds its prefetch out of the count for as long as it stalls,
   * which is why the reconciler also asks which grabs are confirmed on their way.
   */
  boolean drainedFor(java.time.Duration quiet) {
    long now = System.nanoTime();
    return now - sampledAtNanos < java.time.Duration.ofSeconds(1).toNanos()
        && emptySinceNanos != Long.MAX_VALUE
        && now - emptySinceNanos >= quiet.toNanos();
  }
}
