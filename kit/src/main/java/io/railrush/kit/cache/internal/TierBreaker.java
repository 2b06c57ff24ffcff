package io.railrush.kit.cache.internal;

import java.time.Clock;
import java.time.Duration;

/**
 * Stops calling a shared tier that just failed, for a short pause, so a dead Redis costs each query
 * nothing instead of a connect or command timeout. Hand-written rather than a resilience4j
 * CircuitBreaker: one volatile deadline is the whole behaviour needed here.
 */
public final class TierBreaker {

  private final Clock clock;
  private final long pauseMillis;
  private volatile long closedUntilMillis;

  public TierBreaker(Clock clock, Duration pause) {
    this.clock = clock;
    this.pauseMillis = pause.toMillis();
  }

  public boolean allows() {
    return clock.millis() >= closedUntilMillis;
  }

  public void failed() {
    closedUntilMillis = clock.millis() + pauseMillis;
  }
}
