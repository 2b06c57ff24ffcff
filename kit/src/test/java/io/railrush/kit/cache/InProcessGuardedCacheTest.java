package io.railrush.kit.cache;

class InProcessGuardedCacheTest extends GuardedCacheContract {

  private final SharedTier tier = SharedTier.inProcess(clock);

  @Override
  protected SharedTier tier() {
    return tier;
  }

  @Override
  protected String keyPrefix() {
    return "c:";
  }
}
