package io.railrush.app.web;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;

/** Builds the one problem shape of the API: RFC 9457 plus {@code code}. */
public final class Problems {

  private Problems() {}

  public static ProblemDetail of(ErrorCode code, HttpStatusCode status, String detail) {
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
    decorate(problem, code);
    return problem;
  }

  /** The problem response of {@code e}, for handlers that answer a refusal without throwing. */
  public static ResponseEntity<ProblemDetail> response(ApiException e) {
    ProblemDetail problem = of(e.code(), e.code().status(), e.getMessage());
    e.extra().forEach(problem::setProperty);
    ResponseEntity.BodyBuilder builder =
        ResponseEntity.status(e.code().status()).contentType(MediaType.APPLICATION_PROBLEM_JSON);
    if (e.retryAfter() != null) {
      builder.header(
          HttpHeaders.RETRY_AFTER,
          String.valueOf(Math.max(1, (e.retryAfter().toMillis() + 999) / 1000)));
    }
    return builder.body(problem);
  }

  static void decorate(ProblemDetail problem, ErrorCode code) {
    problem.setType(code.type());
    problem.setProperty("code", code.name());
  }
}
