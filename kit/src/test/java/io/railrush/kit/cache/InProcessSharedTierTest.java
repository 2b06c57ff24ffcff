package io.railrush.kit.cache;

import java.time.Clock;

class InProcessSharedTierTest extends SharedTierContract {

  private final SharedTier tier = SharedTier.inProcess(Clock.systemUTC());

  @Override
  protected SharedTier tier() {
    return tier;
  }

  @Override
  protected String prefix() {
    return "t:";
  }
}
