package io.railrush.app.grab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.micrometer.core.instrument.MeterRegistry;
import io.railrush.app.testing.Api;
import io.railrush.app.testing.EmbeddedApiTest;
import io.railrush.app.testing.TestTokens;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The grab endpoint's two HTTP paths answer alike: each request is sent once as most clients send
 * it (taken by {@link LeanGrabFilter}) and once with an {@code Accept} header the filter hands on
 * to Spring MVC, in the same state, and the two answers must match in status, content type, headers
 * and body. The filter's counter shows which path answered.
 */
@EmbeddedApiTest
class LeanGrabPathTest {

  /** Not one of the exact values the lean path reads, so Spring MVC negotiates it. */
  private static final String HANDED_ON_ACCEPT = "application/json, application/problem+json";

  private static final AtomicInteger users = new AtomicInteger();

  @LocalServerPort int port;
  @Autowired MeterRegistry meters;
  @Autowired JdbcClient jdbc;
  @Autowired SeatHolds seats;
  Api api;

  @BeforeEach
  void connect() {
    api = new Api(port);
  }

  private enum Path {
    LEAN,
    MVC
  }

  private static String newUser() {
    return TestTokens.valid(TestTokens.EMBEDDED_SECRET, "lean-" + users.incrementAndGet());
  }

  private HttpRequest.Builder grab(String runId, String bearer, Path path) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(api.uri("/api/v1/runs/" + runId + "/grabs")));
    if (bearer != null) {
      request.header("Authorization", "Bearer " + bearer);
    }
    if (path == Path.MVC) {
      request.header("Accept", HANDED_ON_ACCEPT);
    }
    return request;
  }

  private HttpRequest.Builder jsonGrab(String runId, String bearer, Path path, String body) {
    return grab(runId, bearer, path)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body));
  }

  private double answeredBy(String path) {
    return meters.get("railrush.grab.http").tag("path", path).counter().count();
  }

  /** Sends the request on the given path and checks the filter's counter says it went that way. */
  private Api.Reply send(HttpRequest.Builder request, Path path) {
    double lean = answeredBy("lean");
    double mvc = answeredBy("mvc");
    Api.Reply reply = api.send(request);
    assertThat(answeredBy("lean") - lean)
        .as("answered by the lean path")
        .isEqualTo(path == Path.LEAN ? 1 : 0);
    assertThat(answeredBy("mvc") - mvc)
        .as("handed on to Spring MVC")
        .isEqualTo(path == Path.MVC ? 1 : 0);
    return reply;
  }

  /**
   * Sends what {@code request} builds on both paths, each with its own caller from {@code callers},
   * and checks the two answers match.
   */
  private Api.Reply bothAlike(
      List<String> callers, BiFunction<String, Path, HttpRequest.Builder> request) {
    Api.Reply lean = send(request.apply(callers.get(0), Path.LEAN), Path.LEAN);
    Api.Reply mvc = send(request.apply(callers.get(1), Path.MVC), Path.MVC);
    assertAlike(lean, mvc);
    return lean;
  }

  private static void assertAlike(Api.Reply lean, Api.Reply mvc) {
    assertThat(lean.status()).as(lean.body() + " vs " + mvc.body()).isEqualTo(mvc.status());
    assertThat(lean.contentType()).isEqualTo(mvc.contentType());
    assertThat(comparable(lean.json())).isEqualTo(comparable(mvc.json()));
    for (String header : List.of("Location", "Retry-After")) {
      Optional<String> leanValue = lean.raw().headers().firstValue(header);
      Optional<String> mvcValue = mvc.raw().headers().firstValue(header);
      assertThat(leanValue.isPresent()).as(header).isEqualTo(mvcValue.isPresent());
      if (header.equals("Retry-After") && leanValue.isPresent()) {
        // the two were asked a moment apart, so the whole seconds left may differ by one
        assertThat(Long.parseLong(leanValue.get()))
            .isCloseTo(Long.parseLong(mvcValue.get()), within(1L));
      }
      if (header.equals("Location") && leanValue.isPresent()) {
        assertThat(leanValue.get())
            .isEqualTo("/api/v1/orders/" + lean.json().path("orderNo").asString());
        assertThat(mvcValue.get())
            .isEqualTo("/api/v1/orders/" + mvc.json().path("orderNo").asString());
      }
    }
  }

  /** The answer without what differs between two callers: the order number. */
  private static JsonNode comparable(JsonNode answer) {
    JsonNode copy = answer.deepCopy();
    if (copy instanceof ObjectNode object && object.has("orderNo")) {
      assertThat(object.path("orderNo").asString()).matches("[A-Z0-9]{20}");
      object.put("orderNo", "…");
    }
    return copy;
  }

  @Test
  void acceptedRateLimitedAndSoldOutAreAnsweredAlike() {
    String runId = EmbeddedGrabTest.newRun(api, 3, null);
    List<String> callers = List.of(newUser(), newUser());
    Api.Reply accepted =
        bothAlike(callers, (caller, path) -> grab(runId, caller, path).POST(noBody()));
    assertThat(accepted.status()).isEqualTo(202);
    assertThat(accepted.json().path("status").asString()).isEqualTo("PENDING");

    Api.Reply limited =
        bothAlike(callers, (caller, path) -> grab(runId, caller, path).POST(noBody()));
    assertThat(limited.status()).isEqualTo(429);
    assertThat(limited.raw().headers().firstValue("Retry-After")).isPresent();

    assertThat(api.send(grab(runId, newUser(), Path.LEAN).POST(noBody())).status()).isEqualTo(202);
    Api.Reply soldOut =
        bothAlike(
            List.of(newUser(), newUser()),
            (caller, path) -> grab(runId, caller, path).POST(noBody()));
    assertThat(soldOut.code()).isEqualTo("SOLD_OUT");
  }

  @Test
  void anEmptyJsonBodyAndACouponlessOneAreAnsweredAlike() {
    String runId = EmbeddedGrabTest.newRun(api, 10, null);
    for (String body : List.of("", "{}", "{\"couponId\":null}")) {
      Api.Reply reply =
          bothAlike(
              List.of(newUser(), newUser()), (caller, path) -> jsonGrab(runId, caller, path, body));
      assertThat(reply.status()).as("'" + body + "': " + reply.body()).isEqualTo(202);
    }
  }

  @Test
  void anIdempotentRetryIsAnsweredAlike() {
    String runId = EmbeddedGrabTest.newRun(api, 10, null);
    List<String> callers = List.of(newUser(), newUser());
    BiFunction<String, Path, HttpRequest.Builder> keyed =
        (caller, path) ->
            grab(runId, caller, path).header("Idempotency-Key", "retry-1").POST(noBody());
    Api.Reply first = bothAlike(callers, keyed);
    Api.Reply again = bothAlike(callers, keyed);
    assertThat(again.status()).isEqualTo(202);
    assertThat(again.json().path("orderNo")).isEqualTo(first.json().path("orderNo"));
  }

  @Test
  void refusalsBeforeTheGrabAreAnsweredAlike() {
    String runId = EmbeddedGrabTest.newRun(api, 10, null);
    List<String> callers = List.of(newUser(), newUser());
    assertThat(
            bothAlike(callers, (caller, path) -> grab("G0-20991231", caller, path).POST(noBody()))
                .code())
        .isEqualTo("NOT_FOUND");
    String later = EmbeddedGrabTest.newRun(api, 10, Instant.now().plusSeconds(3600).toString());
    assertThat(
            bothAlike(callers, (caller, path) -> grab(later, caller, path).POST(noBody())).code())
        .isEqualTo("NOT_ON_SALE");
    assertThat(
            bothAlike(
                    callers,
                    (caller, path) -> jsonGrab(runId, caller, path, "{\"couponId\":\"nope\"}"))
                .code())
        .isEqualTo("NOT_FOUND");
    assertThat(
            bothAlike(
                    callers,
                    (caller, path) ->
                        grab(runId, caller, path).header("Idempotency-Key", "a b").POST(noBody()))
                .code())
        .isEqualTo("BAD_REQUEST");
    for (String bearer : new String[] {null, "garbage", Api.ADMIN_TOKEN}) {
      assertThat(
              bothAlike(
                      java.util.Arrays.asList(bearer, bearer),
                      (caller, path) -> grab(runId, caller, path).POST(noBody()))
                  .code())
          .isEqualTo("UNAUTHORIZED");
    }
    // none of these spent an attempt: each caller's first real grab is accepted
    for (String caller : callers) {
      assertThat(api.send(grab(runId, caller, Path.LEAN).POST(noBody())).status()).isEqualTo(202);
    }
  }

  /**
   * A failure inside the grab (here the coupon table gone from under a running node) goes through
   * Spring MVC's exception handling on both paths, and nothing is taken.
   */
  @Test
  void aFailureInsideTheGrabIsAnsweredAlikeByTheSameExceptionHandling() {
    String runId = EmbeddedGrabTest.newRun(api, 10, null);
    long stock = seats.remaining(runId);
    jdbc.sql("alter table coupon rename to coupon_gone").update();
    try {
      Api.Reply failed =
          bothAlike(
              List.of(newUser(), newUser()),
              (caller, path) -> jsonGrab(runId, caller, path, "{\"couponId\":\"c1\"}"));
      assertThat(failed.status()).isEqualTo(500);
      assertThat(failed.code()).isEqualTo("INTERNAL_ERROR");
    } finally {
      jdbc.sql("alter table coupon_gone rename to coupon").update();
    }
    assertThat(seats.remaining(runId)).isEqualTo(stock);
  }

  @Test
  void aBodyTheLeanPathDoesNotTakeIsHandedOnAndSpringMvcRefusesIt() {
    String runId = EmbeddedGrabTest.newRun(api, 10, null);
    String caller = newUser();
    // a body read and then handed on is read again by Spring MVC as sent: were it lost, each of
    // these would be a grab without a body, and accepted
    String[][] handedOn = {
      {"application/json", "{\"couponId\":", "400"},
      {"application/json", "{\"couponId\":\"a\",\"couponId\":\"b\"}", "400"},
      {"application/json", "{\"couponId\":\"c1; drop table\"}", "400"},
      {"application/json", "{\"seat\":\"12A\"}", "400"},
      {"text/plain", "{}", "415"},
    };
    for (String[] body : handedOn) {
      Api.Reply reply =
          send(
              grab(runId, caller, Path.LEAN)
                  .header("Content-Type", body[0])
                  .POST(HttpRequest.BodyPublishers.ofString(body[1])),
              Path.MVC);
      assertThat(reply.status())
          .as(body[0] + " " + body[1] + ": " + reply.body())
          .isEqualTo(Integer.parseInt(body[2]));
      assertThat(reply.contentType()).startsWith("application/problem+json");
    }
    // an empty body under another content type: Spring MVC refuses the type (415) even so
    for (String type : List.of("text/plain", "application/x-www-form-urlencoded", "json")) {
      Api.Reply reply =
          send(
              grab(runId, caller, Path.LEAN).header("Content-Type", type).POST(noBody()), Path.MVC);
      assertThat(reply.status()).as(type + ": " + reply.body()).isEqualTo(415);
    }
    Api.Reply repeatedKey =
        send(
            grab(runId, caller, Path.LEAN)
                .header("Idempotency-Key", "k1")
                .header("Idempotency-Key", "k2")
                .POST(noBody()),
            Path.MVC);
    assertThat(repeatedKey.code()).isEqualTo("BAD_REQUEST");
    Api.Reply otherCharset =
        send(
            grab(runId, caller, Path.LEAN)
                .header("Content-Type", "application/json;charset=ISO-8859-1")
                .POST(HttpRequest.BodyPublishers.ofString("{}")),
            Path.MVC);
    assertThat(otherCharset.status()).as(otherCharset.body()).isEqualTo(202);
    Api.Reply leanJson = send(jsonGrab(runId, newUser(), Path.LEAN, "{}"), Path.LEAN);
    assertThat(leanJson.status()).as(leanJson.body()).isEqualTo(202);
  }

  private static HttpRequest.BodyPublisher noBody() {
    return HttpRequest.BodyPublishers.noBody();
  }
}
