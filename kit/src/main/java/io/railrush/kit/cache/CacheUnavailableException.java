package io.railrush.kit.cache;

/**
 * Nothing was cached for the key, the reload did not finish within the wait bound (or failed), and
 * no fallback value is configured.
 */
public class CacheUnavailableException extends RuntimeException {
  public CacheUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
