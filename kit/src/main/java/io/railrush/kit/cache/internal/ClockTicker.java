package io.railrush.kit.cache.internal;

import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Clock;
import java.util.concurrent.TimeUnit;

/**
 * The Caffeine {@link Ticker} of an injected {@link Clock}, so Caffeine's expiries follow the same
 * time as the rest of the cache (a test that moves its clock sees in-process copies expire too).
 */
public final class ClockTicker {

  private ClockTicker() {}

  /**
   * For a system clock, the JVM's monotonic ticker (the same time, immune to wall-clock steps); for
   * any other clock, its milliseconds in nanoseconds.
   */
  public static Ticker of(Clock clock) {
    if (clock.equals(Clock.system(clock.getZone()))) {
      return Ticker.systemTicker();
    }
    return () -> TimeUnit.MILLISECONDS.toNanos(clock.millis());
  }
}
