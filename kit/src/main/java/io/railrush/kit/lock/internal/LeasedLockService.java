package io.railrush.kit.lock.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.railrush.kit.BackendUnavailableException;
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
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * The algorithm shared by the lease-based backends (in-process, Redis, database): poll with
 * jittered exponential backoff until the wait bound, then hold with a watchdog that renews every
 * lease/3. The lease a holder believes in is measured from before each request was sent, so it ends
 * no later than the backend's.
 *
 * <p>Threads of one JVM queue for a name on a local fair gate first, so only one of them at a time
 * asks the backend: 64 local waiters cost the backend one poller, not 64, and the next local waiter
 * asks the moment the holder releases instead of after its backoff.
 */
public final class LeasedLockService implements LockService {

  private static final long MAX_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
  private static final long GATE_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

  private final String backend;
  private final LeaseDriver driver;
  private final ScheduledExecutorService watchdog;
  // weak values: a name's gate lives while some thread waits on it or holds the lock
  private final Cache<String, Gate> localGates = Caffeine.newBuilder().weakValues().build();

  /** This JVM's queue for one name; a holder whose grant ran out gives up its place. */
  private static final class Gate {
    final Semaphore permit = new Semaphore(1, true);
    volatile Handle holder;
  }

  public LeasedLockService(String backend, LeaseDriver driver) {
    this.backend = backend;
    this.driver = driver;
    this.watchdog =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("lock-watchdog-" + backend).factory());
  }

  @Override
  public Optional<LockHandle> tryAcquire(
      String name, Duration wait, Duration lease, Renewal renewal) {
    if (lease.toMillis() < 1) {
      throw new IllegalArgumentException("lease must be at least 1 ms");
    }
    long deadline = System.nanoTime() + wait.toNanos();
    Gate gate = localGates.get(name, n -> new Gate());
    if (!enter(gate, deadline)) {
      return Optional.empty();
    }
    boolean granted = false;
    try {
      Optional<LockHandle> handle = pollBackend(name, lease, renewal, deadline, gate);
      granted = handle.isPresent();
      return handle;
    } finally {
      if (!granted) {
        gate.permit.release();
      }
    }
  }

  private static boolean enter(Gate gate, long deadline) {
    try {
      while (true) {
        long left = deadline - System.nanoTime();
        if (gate.permit.tryAcquire(
            Math.max(0, Math.min(left, GATE_CHECK_NANOS)), TimeUnit.NANOSECONDS)) {
          return true;
        }
        Handle holder = gate.holder;
        if (holder != null && !holder.isHeld()) {
          holder.leaveGate(); // its lease ran out without a release: it no longer holds our place
          continue;
        }
        if (left <= 0) {
          return false;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private Optional<LockHandle> pollBackend(
      String name, Duration lease, Renewal renewal, long deadline, Gate gate) {
    long backoff = TimeUnit.MICROSECONDS.toNanos(200);
    BackendUnavailableException lastFailure = null;
    while (true) {
      String owner = UUID.randomUUID().toString();
      long sentAt = System.nanoTime();
      try {
        OptionalLong fence = driver.tryGrant(name, owner, lease);
        if (fence.isPresent()) {
          return Optional.of(
              new Handle(name, owner, fence.getAsLong(), sentAt, lease, renewal, gate));
        }
        lastFailure = null;
      } catch (BackendUnavailableException unreachable) {
        lastFailure = unreachable;
      } catch (RuntimeException e) {
        if (Thread.currentThread().isInterrupted()) {
          return Optional.empty(); // interrupted while asking: as if interrupted while waiting
        }
        throw e; // a bug or a misuse, not the backend being away: no retrying, no disguise
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        if (lastFailure != null) {
          throw new LockUnavailableException(
              backend, backend + " lock " + name + ": backend unreachable", lastFailure);
        }
        return Optional.empty();
      }
      LockSupport.parkNanos(
          Math.min(left, backoff / 2 + ThreadLocalRandom.current().nextLong(backoff / 2 + 1)));
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
    private final Gate gate;
    private final AtomicBoolean inGate = new AtomicBoolean(true);
    private volatile long leaseEndsNanos;
    private volatile boolean released;
    private volatile boolean lost;

    Handle(
        String name,
        String owner,
        long fence,
        long sentAt,
        Duration lease,
        Renewal renewal,
        Gate gate) {
      this.name = name;
      this.gate = gate;
      gate.holder = this;
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

    /** Gives this JVM's place for the name to the next local waiter, exactly once. */
    void leaveGate() {
      if (inGate.compareAndSet(true, false)) {
        if (gate.holder == this) {
          gate.holder = null;
        }
        gate.permit.release();
      }
    }

    @Override
    public synchronized void release() {
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
      } finally {
        leaveGate();
      }
    }

    @Override
    public String toString() {
      return backend + " lock " + name + " #" + fence;
    }
  }
}
