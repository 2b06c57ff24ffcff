package io.railrush.kit.lock;

import io.railrush.kit.BackendUnavailableException;

/** The backend could not be asked (unreachable, timed out); the lock state is unknown. */
public class LockUnavailableException extends BackendUnavailableException {
  /**
   * @param backend the lock service's backend: {@value #REDIS}, {@value #ZOOKEEPER}, {@value
   *     #DATABASE}
   */
  public LockUnavailableException(String backend, String message, Throwable cause) {
    super(backend, message, cause);
  }
}
