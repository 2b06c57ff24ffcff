package io.railrush.kit.limit;

class InProcessRateLimitsTest extends RateLimitsContract {
  private final RateLimits limits = RateLimits.inProcess();

  @Override
  protected RateLimits limits() {
    return limits;
  }
}
