package io.railrush.kit.lock.internal;

import io.railrush.kit.lock.LockHandle;
import io.railrush.kit.lock.LockService;
import io.railrush.kit.lock.LockUnavailableException;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The algorithm shared by the lease-based backends (in-process, Redis, database): poll with
 * jittered exponential backoff until the wait bound, then hold with a watchdog that renews every
 * lease/3. The lease a holder believes in is measured from before each request was sent, so it
 * ends no later than the backend's.
 */
public final class LeasedLockService implements LockService {

  private static final long MAX_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

  private final String backend;
  private final LeaseDriver driver;
  private final ScheduledExecutorService watchdog;

  public LeasedLockService(String backend, LeaseDriver driver) {
    this.backend = backend;
    this.driver = driver;
    this.watchdog =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("lock-watchdog-" + backend).factory());
  }

  @Override
  public Optional<LockHandle> tryAcquire(String name, Duration wait, Duration lease, Renewal renewal) {
    if (lease.toMillis() < 1) {
      throw new IllegalArgumentException("lease must be at least 1 ms");
    }
    long deadline = System.nanoTime() + wait.toNanos();
    long backoff = TimeUnit.MICROSECONDS.toNanos(200);
    RuntimeException lastFailure = null;
    while (true) {
      String owner = UUID.randomUUID().toString();
      long sentAt = System.nanoTime();
      try {
        OptionalLong fence = driver.tryGrant(name, owner, lease);
        if (fence.isPresent()) {
          return Optional.of(new Handle(name, owner, fence.getAsLong(), sentAt, lease, renewal));
        }
        lastFailure = null;
      } catch (RuntimeException unreachable) {
        lastFailure = unreachable;
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        if (lastFailure != null) {
          throw new LockUnavailableException(backend + " lock " + name + ": backend unreachable", lastFailure);
        }
        return Optional.empty();
      }
      LockSupport.parkNanos(Math.min(left, backoff / 2 + ThreadLocalRandom.current().nextLong(backoff / 2 + 1)));
      if (Thread.interrupted()) {
        Thread.currentThread().interrupt();
        return Optional.empty();
      }
      backoff = Math.min(MAX_BACKOFF_NANOS, backoff * 2);
    }
  }

  @Override
  public void close() {
    watchdog.shutdownNow();
  }

  private final class Handle implements LockHandle {
    private final String name;
    private final String owner;
    private final long fence;
    private final Duration lease;
    private final ScheduledFuture<?> renewals;
    private volatile long leaseEndsNanos;
    private volatile boolean released;
    private volatile boolean lost;

    Handle(String name, String owner, long fence, long sentAt, Duration lease, Renewal renewal) {
      this.name = name;
      this.owner = owner;
      this.fence = fence;
      this.lease = lease;
      this.leaseEndsNanos = sentAt + lease.toNanos();
      long period = Math.max(1, lease.toMillis() / 3);
      this.renewals =
          renewal == Renewal.WATCHDOG
              ? watchdog.scheduleWithFixedDelay(this::renew, period, period, TimeUnit.MILLISECONDS)
              : null;
    }

    private void renew() {
      if (released || lost) {
        return;
      }
      long sentAt = System.nanoTime();
      try {
        if (driver.renew(name, owner, fence, lease)) {
          leaseEndsNanos = sentAt + lease.toNanos();
        } else {
          lost = true;
          renewals.cancel(false);
        }
      } catch (RuntimeException unreachable) {
        // keep trying until the lease we know of runs out: isHeld() turns false by itself
      }
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public long fencingToken() {
      return fence;
    }

    @Override
    public boolean isHeld() {
      return !released && !lost && System.nanoTime() < leaseEndsNanos;
    }

    @Override
    public Duration remainingLease() {
      return isHeld() ? Duration.ofNanos(leaseEndsNanos - System.nanoTime()) : Duration.ZERO;
    }

    @Override
    public void release() {
      if (released) {
        return;
      }
      released = true;
      if (renewals != null) {
        renewals.cancel(false);
      }
      try {
        driver.release(name, owner, fence);
      } catch (RuntimeException unreachable) {
        // the lease frees it
      }
    }

    @Override
    public String toString() {
      return backend + " lock " + name + " #" + fence;
    }
  }
}
