package io.railrush.kit.lock;

import java.time.Duration;
import java.util.Optional;

/**
 * Named distributed locks on one backend (in-process, Redis, ZooKeeper or a database). Locks are
 * not re-entrant: a second {@code tryAcquire} of a held name waits like any other caller.
 */
public interface LockService extends AutoCloseable {

  /**
   * Waits at most {@code wait} for the lock {@code name}; the grant lasts {@code lease} and is
   * renewed by a watchdog while the handle is held and the process is alive.
   */
  default Optional<LockHandle> tryAcquire(String name, Duration wait, Duration lease) {
    return tryAcquire(name, wait, lease, Renewal.WATCHDOG);
  }

  Optional<LockHandle> tryAcquire(String name, Duration wait, Duration lease, Renewal renewal);

  /** Whether a grant's lease is extended while it is held. */
  enum Renewal {
    /** Extend every lease/3 until released; the lease then only matters if this process dies. */
    WATCHDOG,
    /** The grant ends after its lease whatever happens (and how stalled holders are simulated). */
    NONE
  }

  @Override
  default void close() {}
}
