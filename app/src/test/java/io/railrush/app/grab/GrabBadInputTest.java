package io.railrush.app.grab;

import static org.assertj.core.api.Assertions.assertThat;

import io.railrush.app.testing.Api;
import io.railrush.app.testing.EmbeddedApiTest;
import io.railrush.app.testing.TestTokens;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Every kind of bad grab gets a clear 4xx problem and reserves, queues and writes nothing. */
@EmbeddedApiTest
class GrabBadInputTest {

  @LocalServerPort int port;
  @Autowired JdbcClient jdbc;
  Api api;
  String runId;

  @BeforeEach
  void connect() {
    api = new Api(port);
    runId = EmbeddedGrabTest.newRun(api, 10, null);
  }

  private long everythingWritten() {
    return jdbc.sql(
            "select (select count(*) from ticket_order) + (select count(*) from grab_outbox)")
        .query(Long.class)
        .single();
  }

  private static String token(String user) {
    return TestTokens.valid(TestTokens.EMBEDDED_SECRET, user);
  }

  static Stream<Arguments> badBodies() {
    return Stream.of(
        Arguments.of("malformed JSON", "{\"couponId\":"),
        Arguments.of("not an object", "[\"c1\"]"),
        Arguments.of("unknown field", "{\"seat\":\"12A\"}"),
        Arguments.of("coupon as number", "{\"couponId\":12}"),
        Arguments.of("coupon with bad characters", "{\"couponId\":\"c1; drop table\"}"),
        Arguments.of("coupon too long", "{\"couponId\":\"" + "c".repeat(65) + "\"}"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badBodies")
  void aMalformedBodyIs400(String kind, String body) {
    long before = everythingWritten();
    assertProblem(
        api.post("/api/v1/runs/" + runId + "/grabs", token("body-" + kind.hashCode()), body),
        400,
        "BAD_REQUEST");
    assertThat(everythingWritten()).isEqualTo(before);
  }

  @Test
  void anUnknownCouponIs404() {
    long before = everythingWritten();
    assertProblem(
        api.post(
            "/api/v1/runs/" + runId + "/grabs",
            token("couponer"),
            "{\"couponId\":\"no-such-coupon\"}"),
        404,
        "NOT_FOUND");
    assertThat(everythingWritten()).isEqualTo(before);
  }

  @Test
  void anUnknownRunIs404() {
    long before = everythingWritten();
    assertProblem(api.post("/api/v1/runs/G0-20991231/grabs", token("lost"), ""), 404, "NOT_FOUND");
    assertProblem(
        api.post("/api/v1/runs/" + "x".repeat(300) + "/grabs", token("lost"), ""),
        404,
        "NOT_FOUND");
    assertThat(everythingWritten()).isEqualTo(before);
  }

  @Test
  void missingExpiredForgedAndUnsignedTokensAre401() {
    long before = everythingWritten();
    String expired =
        TestTokens.token(TestTokens.EMBEDDED_SECRET, "alice", Instant.now().minusSeconds(60));
    String forged =
        TestTokens.token(
            "another-secret-of-at-least-32-bytes-long!!", "alice", Instant.now().plusSeconds(600));
    for (String bad : new String[] {null, expired, forged, "garbage", Api.ADMIN_TOKEN}) {
      assertProblem(api.post("/api/v1/runs/" + runId + "/grabs", bad, ""), 401, "UNAUTHORIZED");
    }
    assertThat(everythingWritten()).isEqualTo(before);
  }

  @Test
  void aBadIdempotencyKeyIs400() {
    long before = everythingWritten();
    for (String key : new String[] {"k".repeat(65), "has space", "é"}) {
      Api.Reply reply =
          api.send(
              HttpRequest.newBuilder(URI.create(api.uri("/api/v1/runs/" + runId + "/grabs")))
                  .header("Authorization", "Bearer " + token("keyed"))
                  .header("Idempotency-Key", key)
                  .POST(HttpRequest.BodyPublishers.noBody()));
      assertProblem(reply, 400, "BAD_REQUEST");
    }
    assertThat(everythingWritten()).isEqualTo(before);
  }

  @Test
  void aHugeBodyIs413() {
    long before = everythingWritten();
    String huge = "{\"couponId\":\"" + "c".repeat(70_000) + "\"}";
    assertProblem(
        api.post("/api/v1/runs/" + runId + "/grabs", token("huge"), huge),
        413,
        "PAYLOAD_TOO_LARGE");
    assertThat(everythingWritten()).isEqualTo(before);
  }

  @Test
  void badOrderRequestsAreRefused() {
    assertProblem(
        api.get("/api/v1/orders/E0000000000000000001", token("nobody")), 404, "NOT_FOUND");
    assertProblem(api.get("/api/v1/orders/not-an-order", token("nobody")), 404, "NOT_FOUND");
    assertProblem(api.get("/api/v1/orders"), 401, "UNAUTHORIZED");
    assertProblem(
        api.post("/api/v1/orders/E0000000000000000001/cancel", token("nobody"), ""),
        404,
        "NOT_FOUND");
    assertProblem(
        api.get("/api/v1/admin/runs/" + runId + "/audit", token("nosy")), 403, "FORBIDDEN");
    assertProblem(
        api.get("/api/v1/admin/runs/G0-20991231/audit", Api.ADMIN_TOKEN), 404, "NOT_FOUND");
  }

  private static void assertProblem(Api.Reply reply, int status, String code) {
    assertThat(reply.status()).as(reply.body()).isEqualTo(status);
    assertThat(reply.contentType()).startsWith("application/problem+json");
    assertThat(reply.code()).isEqualTo(code);
  }
}
