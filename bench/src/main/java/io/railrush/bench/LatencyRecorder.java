package io.railrush.bench;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/** Per-call latency in microseconds, recorded from many threads without contention. */
public final class LatencyRecorder {

  private final Recorder recorder = new Recorder(3);

  public void record(long startedNanos) {
    recorder.recordValue(Math.max(1, (System.nanoTime() - startedNanos) / 1_000));
  }

  /** Everything recorded since the previous call. */
  public Histogram interval() {
    return recorder.getIntervalHistogram();
  }

  public static String millis(Histogram h, double percentile) {
    return String.format("%.1f", h.getValueAtPercentile(percentile) / 1_000.0);
  }
}
