package io.railrush.app.web;

import java.net.URI;
import java.util.Locale;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;

/** Builds the one problem shape of the API: RFC 9457 plus {@code code}. */
public final class Problems {

  private Problems() {}

  public static ProblemDetail of(ErrorCode code, HttpStatusCode status, String detail) {
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
    decorate(problem, code);
    return problem;
  }

  static void decorate(ProblemDetail problem, ErrorCode code) {
    problem.setType(URI.create("https://railrush.io/problems/" + code.name().toLowerCase(Locale.ROOT).replace('_', '-')));
    problem.setProperty("code", code.name());
  }
}
