package io.railrush.kit.limit;

import java.time.Duration;

/** The answer of a limiter: passed, or refused with how long to wait before trying again. */
public record Permit(boolean granted, Duration retryAfter) {

  public static final Permit GRANTED = new Permit(true, Duration.ZERO);

  public static Permit refused(Duration retryAfter) {
    return new Permit(false, retryAfter);
  }
}
