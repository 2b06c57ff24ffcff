package io.railrush.app.infra;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.railrush.kit.lock.LockHandle;
import io.railrush.kit.lock.LockService;
import java.time.Duration;
import java.util.Optional;

/**
 * The lock service with its waits measured: {@code railrush.locks.wait}, a timer per lock kind (the
 * name up to its first {@code :}, so {@code payment:P012…} counts as {@code payment}) and outcome
 * ({@code acquired}, {@code not_acquired}). The kit has no metrics of its own (no Micrometer
 * there).
 */
final class MeasuredLocks implements LockService {

  private final LockService locks;
  private final MeterRegistry meters;
  private final String backend;

  MeasuredLocks(LockService locks, MeterRegistry meters, String backend) {
    this.locks = locks;
    this.meters = meters;
    this.backend = backend;
  }

  @Override
  public Optional<LockHandle> tryAcquire(
      String name, Duration wait, Duration lease, Renewal renewal) {
    long started = System.nanoTime();
    Optional<LockHandle> handle = locks.tryAcquire(name, wait, lease, renewal);
    int colon = name.indexOf(':');
    Timer.builder("railrush.locks.wait")
        .description("time to acquire a lock, or to give up")
        .tag("backend", backend)
        .tag("lock", colon < 0 ? name : name.substring(0, colon))
        .tag("outcome", handle.isPresent() ? "acquired" : "not_acquired")
        .register(meters)
        .record(Duration.ofNanos(System.nanoTime() - started));
    return handle;
  }

  @Override
  public void close() {
    locks.close();
  }
}
