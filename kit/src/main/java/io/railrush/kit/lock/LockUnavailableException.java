package io.railrush.kit.lock;

/** The backend could not be asked (unreachable, timed out); the lock state is unknown. */
public class LockUnavailableException extends RuntimeException {
  public LockUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
