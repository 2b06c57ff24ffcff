package io.railrush.kit.cache;

import io.railrush.kit.BackendUnavailableException;

/**
 * Nothing was cached for the key, the reload did not finish within the wait bound (or failed), and
 * no fallback value is configured. The backend is {@value BackendUnavailableException#CACHE}; the
 * cause, when there is one, is the reload's failure.
 */
public class CacheUnavailableException extends BackendUnavailableException {
  public CacheUnavailableException(String message, Throwable cause) {
    super(CACHE, message, cause);
  }
}
