package io.railrush.app.web;

import java.net.URI;
import java.util.Locale;
import org.springframework.http.HttpStatus;

/** The machine-readable {@code code} of every problem response (docs/api.md, "Conventions"). */
public enum ErrorCode {
  BAD_REQUEST(HttpStatus.BAD_REQUEST),
  UNAUTHORIZED(HttpStatus.UNAUTHORIZED),
  FORBIDDEN(HttpStatus.FORBIDDEN),
  NOT_FOUND(HttpStatus.NOT_FOUND),
  SOLD_OUT(HttpStatus.CONFLICT),
  ALREADY_HOLDING(HttpStatus.CONFLICT),
  NOT_ON_SALE(HttpStatus.CONFLICT),
  RATE_LIMITED(HttpStatus.TOO_MANY_REQUESTS),
  BUSY(HttpStatus.SERVICE_UNAVAILABLE),
  CONFLICT(HttpStatus.CONFLICT),
  INVALID_SIGNATURE(HttpStatus.UNAUTHORIZED),
  PAYLOAD_TOO_LARGE(HttpStatus.CONTENT_TOO_LARGE),
  INTERNAL_ERROR(HttpStatus.INTERNAL_SERVER_ERROR);

  private final HttpStatus status;
  // made once: a flash crowd is refused tens of thousands of times a second, and building this
  // URI for each refusal was 6 % of a refused grab's CPU samples (JFR)
  private final URI type;

  ErrorCode(HttpStatus status) {
    this.status = status;
    this.type =
        URI.create(
            "https://railrush.io/problems/" + name().toLowerCase(Locale.ROOT).replace('_', '-'));
  }

  public HttpStatus status() {
    return status;
  }

  /** The problem's {@code type}: {@code https://railrush.io/problems/sold-out} and so on. */
  URI type() {
    return type;
  }

  /** The code a status gets when nothing more specific is known (framework-raised errors). */
  static ErrorCode forStatus(int status) {
    return switch (status) {
      case 401 -> UNAUTHORIZED;
      case 403 -> FORBIDDEN;
      case 404 -> NOT_FOUND;
      case 409 -> CONFLICT;
      case 413 -> PAYLOAD_TOO_LARGE;
      case 429 -> RATE_LIMITED;
      case 503 -> BUSY;
      default -> status >= 500 ? INTERNAL_ERROR : BAD_REQUEST;
    };
  }
}
