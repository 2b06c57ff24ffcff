package io.railrush.app.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.ObjectMapper;

/**
 * Refuses bodies over 64 KiB with 413 {@code PAYLOAD_TOO_LARGE}: at once when Content-Length says
 * so, otherwise as soon as the 64 KiB + 1st byte is read (chunked bodies). Tomcat has no limit for
 * non-form bodies, hence this filter.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 2) // after RequestIdFilter: a 413 carries its request id too
class BodyLimitFilter extends OncePerRequestFilter {

  static final long LIMIT = 64 * 1024;

  private final ObjectMapper json;

  BodyLimitFilter(ObjectMapper json) {
    this.json = json;
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    if (request.getContentLengthLong() > LIMIT) {
      response.setStatus(ErrorCode.PAYLOAD_TOO_LARGE.status().value());
      response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
      response.setHeader("Connection", "close"); // do not read the rest of a huge body
      json.writeValue(
          response.getOutputStream(),
          Problems.of(
              ErrorCode.PAYLOAD_TOO_LARGE,
              ErrorCode.PAYLOAD_TOO_LARGE.status(),
              "request body is larger than " + LIMIT + " bytes"));
      return;
    }
    chain.doFilter(new LimitedRequest(request), response);
  }

  private static final class LimitedRequest extends HttpServletRequestWrapper {
    private ServletInputStream limited;

    LimitedRequest(HttpServletRequest request) {
      super(request);
    }

    @Override
    public ServletInputStream getInputStream() throws IOException {
      if (limited == null) {
        limited = new LimitedInputStream(super.getInputStream());
      }
      return limited;
    }
  }

  private static final class LimitedInputStream extends ServletInputStream {
    private final ServletInputStream in;
    private long read;

    LimitedInputStream(ServletInputStream in) {
      this.in = in;
    }

    @Override
    public int read() throws IOException {
      int b = in.read();
      if (b >= 0) {
        count(1);
      }
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      int n = in.read(buffer, offset, length);
      if (n > 0) {
        count(n);
      }
      return n;
    }

    private void count(int n) throws PayloadTooLargeException {
      read += n;
      if (read > LIMIT) {
        throw new PayloadTooLargeException(LIMIT);
      }
    }

    @Override
    public boolean isFinished() {
      return in.isFinished();
    }

    @Override
    public boolean isReady() {
      return in.isReady();
    }

    @Override
    public void setReadListener(ReadListener listener) {
      in.setReadListener(listener);
    }
  }
}
