package io.railrush.kit.lock.internal;

import java.time.Duration;
import java.util.OptionalLong;

/**
 * What a lease-based backend must do, each in one atomic step on the backend. Owners are unique per
 * grant; fencing tokens come from a per-name counter that never goes down. A backend that cannot be
 * reached or does not answer in time throws from the {@link
 * io.railrush.kit.BackendUnavailableException} family (retried until the wait bound); any other
 * exception is a bug and is not retried.
 */
public interface LeaseDriver {

  /**
   * Grants {@code name} to {@code owner} for {@code lease} if free or expired; the token if
   * granted.
   */
  OptionalLong tryGrant(String name, String owner, Duration lease);

  /** Extends the grant only if {@code owner} still has it; false means it is gone. */
  boolean renew(String name, String owner, long fence, Duration lease);

  /** Frees the grant only if {@code owner} still has it. */
  void release(String name, String owner, long fence);
}
