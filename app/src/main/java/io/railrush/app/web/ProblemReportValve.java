package io.railrush.app.web;

import java.io.IOException;
import java.io.Writer;
import java.util.Locale;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.http.HttpStatus;

/**
 * Answers the errors the servlet container raises itself — a malformed request line (raw non-ASCII
 * bytes, bad percent-encoding), a request line or headers over the limit, any {@code sendError}
 * without an error page — as problem+json with a {@code code}, where Tomcat would write its HTML
 * page. Installed as the host's error report valve; errors inside the application are answered by
 * {@code ProblemAdvice} before they reach it.
 */
public class ProblemReportValve extends ErrorReportValve {

  @Override
  protected void report(Request request, Response response, Throwable throwable) {
    int status = response.getStatus();
    if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
      return;
    }
    ErrorCode code = ErrorCode.forStatus(status);
    HttpStatus known = HttpStatus.resolve(status);
    String title = known == null ? "Error" : known.getReasonPhrase();
    String body =
        "{\"type\":\"https://railrush.io/problems/"
            + code.name().toLowerCase(Locale.ROOT).replace('_', '-')
            + "\",\"title\":\""
            + title
            + "\",\"status\":"
            + status
            + ",\"detail\":\""
            + detail(status)
            + "\",\"code\":\""
            + code.name()
            + "\"}";
    try {
      response.setContentType("application/problem+json");
      response.setCharacterEncoding("UTF-8");
      Writer writer = response.getReporter();
      if (writer != null) {
        writer.write(body);
        response.finishResponse();
      }
    } catch (IOException | IllegalStateException connectionGone) {
      // nothing more can be told to this client
    }
  }

  /** Fixed texts: the container's own messages may echo the raw request back. */
  private static String detail(int status) {
    return switch (status) {
      case 400 ->
          "malformed request: the request line or headers are invalid or too long"
              + " (percent-encode non-ASCII characters, e.g. curl -G --data-urlencode)";
      case 404 -> "no such resource";
      case 405 -> "method not allowed on this resource";
      case 413 -> "request body is larger than 65536 bytes";
      case 414 -> "request line is too long";
      case 431 -> "request headers are too large";
      default -> status >= 500 ? "internal error" : "request refused";
    };
  }
}
