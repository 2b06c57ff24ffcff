package io.railrush.kit.cache;

import io.railrush.kit.lock.LockService;
import io.railrush.kit.lock.Locks;

class InProcessGuardedCacheTest extends GuardedCacheContract {

  private final SharedTier tier = SharedTier.inProcess(clock);
  private final LockService locks = Locks.inProcess();

  @Override
  protected LockService locks() {
    return locks;
  }

  @Override
  protected SharedTier tier() {
    return tier;
  }

  @Override
  protected String keyPrefix() {
    return "c:";
  }
}
