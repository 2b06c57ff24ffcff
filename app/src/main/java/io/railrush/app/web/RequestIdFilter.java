package io.railrush.app.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import org.slf4j.MDC;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Every log line of a request carries its id ({@code requestId} in the MDC, a field of the
 * structured logs of cluster mode): the {@code X-Request-Id} nginx sends (so one id joins nginx's
 * access log and the node's lines), or a new one; the answer carries it back. What a request's
 * handlers add to the MDC ({@code runId}, {@code orderNo}) is cleared with it.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class RequestIdFilter extends OncePerRequestFilter {

  static final String HEADER = "X-Request-Id";
  private static final Pattern WELL_FORMED = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    String given = request.getHeader(HEADER);
    String id = given != null && WELL_FORMED.matcher(given).matches() ? given : newId();
    MDC.put("requestId", id);
    response.setHeader(HEADER, id);
    try {
      chain.doFilter(request, response);
    } finally {
      MDC.clear();
    }
  }

  /**
   * 128 random bits as 32 hex digits. Not {@code UUID.randomUUID()}: its SecureRandom reads {@code
   * /dev/urandom} under one lock, 4.5 % of a ping's CPU samples; a log id needs no secrecy.
   */
  private static String newId() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    HexFormat hex = HexFormat.of();
    return hex.toHexDigits(random.nextLong()) + hex.toHexDigits(random.nextLong());
  }
}
