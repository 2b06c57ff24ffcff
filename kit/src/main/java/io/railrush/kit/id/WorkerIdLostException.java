package io.railrush.kit.id;

import io.railrush.kit.BackendUnavailableException;

/**
 * This node has no valid worker id right now (its lease's backend is unreachable, or the lease ran
 * out or was taken over); it issues no numbers until it leases one again.
 */
public class WorkerIdLostException extends BackendUnavailableException {
  /**
   * @param backend where the id is leased ({@link WorkerIdLease#backend()})
   */
  public WorkerIdLostException(String backend, String message) {
    super(backend, message);
  }

  public WorkerIdLostException(String backend, String message, Throwable cause) {
    super(backend, message, cause);
  }
}
