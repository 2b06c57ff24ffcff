package io.railrush.kit.lock;

import static org.awaitility.Awaitility.await;

import java.time.Duration;

/**
 * Lease-based backends: a stalled holder is one whose watchdog stopped renewing, on another service
 * instance (another node), so its late release reaches the backend instead of a local gate.
 */
abstract class LeasedLockContract extends LockServiceContract {

  @Override
  protected LockHandle stalledHolder(LockService locks, String name) {
    LockHandle stalled =
        secondInstance()
            .tryAcquire(name, Duration.ZERO, Duration.ofMillis(300), LockService.Renewal.NONE)
            .orElseThrow();
    await().atMost(Duration.ofSeconds(2)).until(() -> !stalled.isHeld());
    return stalled;
  }
}
