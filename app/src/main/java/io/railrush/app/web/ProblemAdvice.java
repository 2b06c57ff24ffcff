package io.railrush.app.web;

import io.railrush.kit.BackendUnavailableException;
import io.railrush.kit.cache.CacheUnavailableException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import tools.jackson.core.JacksonException;

/**
 * The one mapping from failures to problem responses. Framework errors (bad JSON, unknown route,
 * wrong method) get the same shape and a {@code code} derived from their status.
 */
@RestControllerAdvice
class ProblemAdvice extends ResponseEntityExceptionHandler {

  private static final Logger log = LoggerFactory.getLogger(ProblemAdvice.class);
  private static final Duration RETRY_AFTER = Duration.ofSeconds(1);

  @ExceptionHandler(ApiException.class)
  ResponseEntity<ProblemDetail> api(ApiException e) {
    return Problems.response(e);
  }

  /**
   * The kit's one family for "a backend could not be reached or answered in time" (Redis,
   * ZooKeeper, the database, or a cached query with no value in time): 503 {@code BUSY}, retry in a
   * second. Anything else the kit throws is a bug and falls through to {@link #unexpected}.
   */
  @ExceptionHandler(BackendUnavailableException.class)
  ResponseEntity<ProblemDetail> backendUnavailable(BackendUnavailableException e) {
    if (e instanceof CacheUnavailableException) {
      log.warn("query degraded to BUSY: {}", e.getMessage());
      return api(ApiException.busy("the ticket query is overloaded, retry shortly", RETRY_AFTER));
    }
    log.warn("request refused, {} unavailable: {}", e.backend(), e.toString());
    return api(ApiException.busy("a backend is unavailable, retry shortly", RETRY_AFTER));
  }

  /**
   * The application's own database, through Spring's translation: no connection in time (the pool
   * exhausted under overload, the server down) or a transient failure (deadlock loser, timeout) is
   * BUSY like any backend that cannot answer; a bad statement stays a 500.
   */
  @ExceptionHandler({DataAccessResourceFailureException.class, TransientDataAccessException.class})
  ResponseEntity<ProblemDetail> databaseUnavailable(DataAccessException e) {
    log.warn("request refused, database unavailable: {}", e.toString());
    return api(ApiException.busy("the database is unavailable, retry shortly", RETRY_AFTER));
  }

  @ExceptionHandler(MethodArgumentTypeMismatchException.class)
  ResponseEntity<ProblemDetail> typeMismatch(MethodArgumentTypeMismatchException e) {
    return api(ApiException.badRequest("parameter '" + e.getName() + "' has an invalid value"));
  }

  /** Tomcat refuses to decode a query with bad percent-encoding when it is first read. */
  @ExceptionHandler(org.apache.tomcat.util.http.InvalidParameterException.class)
  ResponseEntity<ProblemDetail> undecodableQuery(RuntimeException e) {
    return api(
        ApiException.badRequest(
            "malformed query string: invalid percent-encoding or too many parameters"));
  }

  @ExceptionHandler(Exception.class)
  ResponseEntity<ProblemDetail> unexpected(Exception e) {
    log.error("unexpected failure", e);
    return ResponseEntity.internalServerError()
        .body(
            Problems.of(
                ErrorCode.INTERNAL_ERROR, HttpStatus.INTERNAL_SERVER_ERROR, "internal error"));
  }

  @Override
  protected ResponseEntity<Object> handleHttpMessageNotReadable(
      HttpMessageNotReadableException e,
      HttpHeaders headers,
      HttpStatusCode status,
      WebRequest request) {
    if (causedBy(e, PayloadTooLargeException.class)) {
      ProblemDetail problem =
          Problems.of(
              ErrorCode.PAYLOAD_TOO_LARGE,
              ErrorCode.PAYLOAD_TOO_LARGE.status(),
              "request body is larger than 65536 bytes");
      return ResponseEntity.status(ErrorCode.PAYLOAD_TOO_LARGE.status()).body(problem);
    }
    String detail = "malformed request body";
    if (e.getCause() instanceof JacksonException jackson) {
      String path =
          jackson.getPath().stream()
              .map(
                  ref ->
                      ref.getPropertyName() != null
                          ? ref.getPropertyName()
                          : "[" + ref.getIndex() + "]")
              .collect(Collectors.joining("."));
      detail =
          (path.isEmpty() ? "" : "field '" + path + "': ")
              + firstLine(jackson.getOriginalMessage());
    } else if (e.getMessage() != null
        && e.getMessage().startsWith("Required request body is missing")) {
      detail = "request body is missing";
    }
    return handleExceptionInternal(
        e, ProblemDetail.forStatusAndDetail(status, detail), headers, status, request);
  }

  @Override
  protected ResponseEntity<Object> handleMethodArgumentNotValid(
      MethodArgumentNotValidException e,
      HttpHeaders headers,
      HttpStatusCode status,
      WebRequest request) {
    List<Map<String, String>> errors =
        e.getBindingResult().getFieldErrors().stream()
            .map(
                f ->
                    Map.of("field", f.getField(), "message", String.valueOf(f.getDefaultMessage())))
            .toList();
    String detail =
        errors.stream()
            .map(f -> f.get("field") + " " + f.get("message"))
            .sorted()
            .collect(Collectors.joining("; "));
    ProblemDetail problem =
        ProblemDetail.forStatusAndDetail(status, detail.isEmpty() ? "invalid request" : detail);
    problem.setProperty("errors", errors);
    return handleExceptionInternal(e, problem, headers, status, request);
  }

  @Override
  protected ResponseEntity<Object> handleExceptionInternal(
      Exception e, Object body, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
    ProblemDetail problem =
        body instanceof ProblemDetail p
            ? p
            : ProblemDetail.forStatusAndDetail(status, e.getMessage());
    Problems.decorate(problem, ErrorCode.forStatus(status.value()));
    return super.handleExceptionInternal(e, problem, headers, status, request);
  }

  private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "malformed JSON";
    }
    int newline = message.indexOf('\n');
    String line = newline < 0 ? message : message.substring(0, newline);
    // Jackson names Java types in some messages; clients need the field, not our class names.
    return line.replaceAll("`[a-z]+(\\.[A-Za-z0-9_$]+)+`", "the field's type")
        .replaceAll(" ?\\(class [^)]*\\)", "")
        .replaceAll(" ?\\(but could if coercion[^)]*\\)", "");
  }
}
