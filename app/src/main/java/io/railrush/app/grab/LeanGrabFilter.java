package io.railrush.app.grab;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.railrush.app.identity.BearerUsers;
import io.railrush.app.web.ApiException;
import io.railrush.app.web.Problems;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Enumeration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.server.ServletServerHttpResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.filter.ServerHttpObservationFilter;
import org.springframework.web.servlet.HandlerExceptionResolver;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerAdapter;

/**
 * Answers the common grab — {@code POST /api/v1/runs/{runId}/grabs} with no body or a small JSON
 * one — before Spring MVC's dispatch. A profile of the accept path put the handler mapping,
 * argument resolution, bean validation and return-value handling at several times the cost of the
 * grab itself; this path reads the same headers, reads the body into the same {@link GrabRequest}
 * with the application's own mapper and validator, runs the same {@link GrabDesk}, and writes the
 * answer with Spring MVC's own message converters, so both paths answer alike.
 *
 * <p>Whatever it does not take as it is goes on to {@link GrabController} untouched, the body
 * replayed: a body that does not parse or validate, a content type or charset other than JSON in
 * UTF-8 (even with an empty body: Spring MVC answers that 415), an {@code Accept} that asks for
 * something else, a repeated {@code Idempotency-Key}, a body over 1 KiB or of unknown length, a run
 * id outside {@code [A-Za-z0-9_.-]{1,64}}. A body is read only once its headers say JSON, so only a
 * JSON body is ever replayed. Nothing has changed when it hands a request on; Spring MVC then
 * answers it as it always did (400, 413, 415, 406 …). {@code railrush.grab.lean-http=false} sends
 * every grab through Spring MVC.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 3) // after the request id, the observation and the body limit
@ConditionalOnBooleanProperty(name = "railrush.grab.lean-http", matchIfMissing = true)
class LeanGrabFilter extends OncePerRequestFilter {

  private static final Pattern PATH = Pattern.compile("/api/v1/runs/([A-Za-z0-9_.-]{1,64})/grabs");
  private static final int LARGEST_BODY_TAKEN = 1024;

  private final GrabDesk desk;
  private final BearerUsers users;
  private final GrabRequest.Reader requests;
  private final ObjectProvider<RequestMappingHandlerAdapter> mvc;
  private final ObjectProvider<HandlerExceptionResolver> exceptionResolver;
  private final Counter answered;
  private final Counter handedOn;
  private volatile List<HttpMessageConverter<?>> converters;

  LeanGrabFilter(
      GrabDesk desk,
      BearerUsers users,
      GrabRequest.Reader requests,
      ObjectProvider<RequestMappingHandlerAdapter> mvc,
      @Qualifier("handlerExceptionResolver") ObjectProvider<HandlerExceptionResolver> resolver,
      MeterRegistry meters) {
    this.desk = desk;
    this.users = users;
    this.requests = requests;
    this.mvc = mvc;
    this.exceptionResolver = resolver;
    this.answered = grabRequests(meters, "lean");
    this.handedOn = grabRequests(meters, "mvc");
  }

  private static Counter grabRequests(MeterRegistry meters, String path) {
    return Counter.builder("railrush.grab.http")
        .description("grab requests by the path that answered them: lean, or handed on to mvc")
        .tag("path", path)
        .register(meters);
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    Matcher path =
        "POST".equals(request.getMethod()) ? PATH.matcher(request.getRequestURI()) : null;
    if (path == null || !path.matches()) {
      chain.doFilter(request, response);
      return;
    }
    if (!takesHeaders(request)) {
      handOn(request, response, chain, null);
      return;
    }
    byte[] body = request.getInputStream().readNBytes(Math.max(0, request.getContentLength()));
    String couponId;
    try {
      couponId = couponId(body);
    } catch (RuntimeException notTaken) { // Spring MVC says what is wrong with it, as always
      handOn(request, response, chain, body);
      return;
    }
    answered.increment();
    ServerHttpObservationFilter.findObservationContext(request)
        .ifPresent(observation -> observation.setPathPattern(GrabDesk.PATH_PATTERN));
    ResponseEntity<?> answer;
    try {
      String userId = users.user(request.getHeader(HttpHeaders.AUTHORIZATION)).userId();
      answer = desk.grab(userId, path.group(1), request.getHeader("Idempotency-Key"), couponId);
    } catch (ApiException refused) {
      answer = Problems.response(refused);
    } catch (RuntimeException failed) {
      if (exceptionResolver.getObject().resolveException(request, response, null, failed) == null) {
        throw failed;
      }
      return;
    }
    write(answer, request, response);
  }

  /**
   * Whether this path reads the request exactly as Spring MVC would, judged on its headers alone:
   * anything else is handed on before its body is read.
   */
  private static boolean takesHeaders(HttpServletRequest request) {
    long length = request.getContentLengthLong();
    if (length > LARGEST_BODY_TAKEN) {
      return false; // larger than any grab: Spring MVC reads it (and the body limit's 413)
    }
    if (length < 0
        && (request.getHeader(HttpHeaders.TRANSFER_ENCODING) != null
            || !request.getProtocol().startsWith("HTTP/1"))) {
      return false; // a body of unknown length (chunked, or HTTP/2): Spring MVC reads it
    }
    if (!jsonInUtf8OrNone(request.getContentType(), length)) {
      return false; // Spring MVC refuses another type even with an empty body (415)
    }
    Enumeration<String> keys = request.getHeaders("Idempotency-Key");
    if (keys.hasMoreElements()) {
      keys.nextElement();
      if (keys.hasMoreElements()) {
        return false; // Spring MVC joins repeated values into one (which then fails the pattern)
      }
    }
    String accept = request.getHeader(HttpHeaders.ACCEPT);
    return accept == null || accept.equals("*/*") || accept.equals("application/json");
  }

  /** {@code application/json}, in UTF-8 if a charset is named; or no type and no body. */
  private static boolean jsonInUtf8OrNone(String contentType, long length) {
    if (contentType == null) {
      return length <= 0;
    }
    try {
      MediaType type = MediaType.parseMediaType(contentType);
      return MediaType.APPLICATION_JSON.equalsTypeAndSubtype(type)
          && (type.getCharset() == null || StandardCharsets.UTF_8.equals(type.getCharset()));
    } catch (IllegalArgumentException unreadable) { // including a charset unknown here
      return false;
    }
  }

  /** The body's coupon, or null for no body; throws when Spring MVC should be the one to refuse. */
  private String couponId(byte[] body) {
    GrabRequest grab = requests.read(body);
    return grab == null ? null : grab.couponId();
  }

  private void handOn(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain, byte[] body)
      throws ServletException, IOException {
    handedOn.increment();
    chain.doFilter(body == null ? request : new ReplayedBody(request, body), response);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private void write(
      ResponseEntity<?> answer, HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    MediaType type = answer.getHeaders().getContentType();
    if (type == null) {
      type = MediaType.APPLICATION_JSON;
    }
    Object body = answer.getBody();
    if (body instanceof ProblemDetail problem && problem.getInstance() == null) {
      problem.setInstance(URI.create(request.getRequestURI())); // as Spring MVC does
    }
    ServletServerHttpResponse out = new ServletServerHttpResponse(response);
    out.setStatusCode(answer.getStatusCode());
    out.getHeaders().putAll(answer.getHeaders());
    for (HttpMessageConverter converter : converters()) {
      if (converter.canWrite(body.getClass(), type)) {
        converter.write(body, type, out);
        out.close();
        return;
      }
    }
    throw new IllegalStateException("no converter writes " + body.getClass() + " as " + type);
  }

  private List<HttpMessageConverter<?>> converters() {
    List<HttpMessageConverter<?>> known = converters;
    if (known == null) {
      known = mvc.getObject().getMessageConverters();
      converters = known;
    }
    return known;
  }

  /** The request as it came, its body read once by this filter and served again from memory. */
  private static final class ReplayedBody extends HttpServletRequestWrapper {

    private final byte[] body;

    ReplayedBody(HttpServletRequest request, byte[] body) {
      super(request);
      this.body = body;
    }

    @Override
    public ServletInputStream getInputStream() {
      ByteArrayInputStream bytes = new ByteArrayInputStream(body);
      return new ServletInputStream() {
        @Override
        public int read() {
          return bytes.read();
        }

        @Override
        public int read(byte[] into, int offset, int length) {
          return bytes.read(into, offset, length);
        }

        @Override
        public boolean isFinished() {
          return bytes.available() == 0;
        }

        @Override
        public boolean isReady() {
          return true;
        }

        @Override
        public void setReadListener(ReadListener listener) {
          throw new UnsupportedOperationException("the body is already in memory");
        }
      };
    }
  }
}
