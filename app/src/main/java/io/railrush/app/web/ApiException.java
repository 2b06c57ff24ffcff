package io.railrush.app.web;

import java.time.Duration;
import java.util.Map;

/**
 * A refusal the client should see as a problem response with {@code code}. Whoever throws it has
 * changed nothing yet, or gives back what it took first (a grab refused after its seat was reserved
 * returns the seat): a refused request leaves nothing behind.
 */
public class ApiException extends RuntimeException {

  private final ErrorCode code;
  private final Duration retryAfter;
  private final Map<String, Object> extra;

  public ApiException(ErrorCode code, String detail) {
    this(code, detail, null, Map.of());
  }

  public ApiException(
      ErrorCode code, String detail, Duration retryAfter, Map<String, Object> extra) {
    // no stack trace: these are answers, not bugs, and a flash crowd gets tens of thousands a
    // second
    super(detail, null, false, false);
    this.code = code;
    this.retryAfter = retryAfter;
    this.extra = Map.copyOf(extra);
  }

  public static ApiException notFound(String what) {
    return new ApiException(ErrorCode.NOT_FOUND, what + " not found");
  }

  public static ApiException badRequest(String detail) {
    return new ApiException(ErrorCode.BAD_REQUEST, detail);
  }

  public static ApiException busy(String detail, Duration retryAfter) {
    return new ApiException(ErrorCode.BUSY, detail, retryAfter, Map.of());
  }

  public ErrorCode code() {
    return code;
  }

  public Duration retryAfter() {
    return retryAfter;
  }

  public Map<String, Object> extra() {
    return extra;
  }
}
