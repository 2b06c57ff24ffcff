package io.railrush.kit.lock;

import java.time.Duration;

/**
 * One grant of a distributed lock. Guarantees: while {@link #isHeld()} is true no other handle of
 * the same name is held (as far as the backend can know); {@link #fencingToken()} is strictly
 * greater than the token of every earlier grant of the same name, so a resource that remembers the
 * highest token it has seen can refuse a late write from a holder that lost the lock without
 * noticing (GC pause, network partition); {@link #release()} never frees another holder's grant.
 */
public interface LockHandle extends AutoCloseable {

  String name();

  long fencingToken();

  /**
   * False once released, once the backend says the grant is gone, or once the lease known to this
   * process may have run out. A holder checks it (or {@link #remainingLease()}) before each step of
   * its critical section and stops when it turns false.
   */
  boolean isHeld();

  /**
   * A conservative bound on how long the grant lasts without further renewal: measured from before
   * the last successful acquire or renewal was sent. Zero when not held.
   */
  Duration remainingLease();

  /**
   * Gives the grant back if it is still ours; idempotent; quiet when the backend is unreachable.
   */
  void release();

  @Override
  default void close() {
    release();
  }
}
