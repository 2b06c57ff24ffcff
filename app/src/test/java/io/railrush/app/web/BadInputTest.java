package io.railrush.app.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.railrush.app.testing.Api;
import io.railrush.app.testing.EmbeddedApiTest;
import io.railrush.app.testing.TestTokens;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.concurrent.Flow;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Every kind of bad input gets a clear 4xx problem with a code, and changes nothing. */
@EmbeddedApiTest
class BadInputTest {

  private static final String EMBEDDED_SECRET = TestTokens.EMBEDDED_SECRET;

  @LocalServerPort int port;
  @Autowired JdbcClient jdbc;
  Api api;

  @BeforeEach
  void connect() {
    api = new Api(port);
  }

  private static String future() {
    return LocalDate.now(ZoneId.of("Asia/Shanghai")).plusDays(20).toString();
  }

  private static String run(String overrides) {
    String base =
        "\"trainNo\":\"G8\",\"departureDate\":\""
            + future()
            + "\",\"origin\":\"北京南\",\"destination\":\"上海虹桥\","
            + "\"departureTime\":\"08:00\",\"seats\":100,\"priceCents\":55300";
    return "{" + base + (overrides.isEmpty() ? "" : "," + overrides) + "}";
  }

  static Stream<Arguments> badRunBodies() {
    return Stream.of(
        Arguments.of("malformed JSON", "{\"trainNo\":\"G8\","),
        Arguments.of("not an object", "[1,2,3]"),
        Arguments.of("empty body", ""),
        Arguments.of("seats as text", run("").replace("\"seats\":100", "\"seats\":\"100\"")),
        Arguments.of("seats fractional", run("").replace("\"seats\":100", "\"seats\":10.5")),
        Arguments.of(
            "price as boolean", run("").replace("\"priceCents\":55300", "\"priceCents\":true")),
        Arguments.of(
            "train number as number", run("").replace("\"trainNo\":\"G8\"", "\"trainNo\":8")),
        Arguments.of("unknown field", run("\"discount\":50")),
        Arguments.of("seats zero", run("").replace("\"seats\":100", "\"seats\":0")),
        Arguments.of("seats too many", run("").replace("\"seats\":100", "\"seats\":5001")),
        Arguments.of(
            "negative price", run("").replace("\"priceCents\":55300", "\"priceCents\":-1")),
        Arguments.of("missing train number", run("").replace("\"trainNo\":\"G8\",", "")),
        Arguments.of(
            "bad train number",
            run("").replace("\"trainNo\":\"G8\"", "\"trainNo\":\"G8; drop table\"")),
        Arguments.of("impossible date", run("").replace(future(), "2026-02-30")),
        Arguments.of("past date", run("").replace(future(), "2020-01-01")),
        Arguments.of("bad time", run("").replace("\"08:00\"", "\"8am\"")),
        Arguments.of("same stations", run("").replace("上海虹桥", "北京南")),
        Arguments.of("blank origin", run("").replace("\"origin\":\"北京南\"", "\"origin\":\"  \"")),
        Arguments.of("station too long", run("").replace("北京南", "北".repeat(33))),
        Arguments.of("bad sale time", run("\"saleOpensAt\":\"tomorrow\"")),
        Arguments.of("seats 1e10", run("").replace("\"seats\":100", "\"seats\":1e10")),
        Arguments.of("seats past 2^31", run("").replace("\"seats\":100", "\"seats\":2147483648")),
        Arguments.of(
            "price past 2^63",
            run("").replace("\"priceCents\":55300", "\"priceCents\":9223372036854775808")),
        Arguments.of("null seats", run("").replace("\"seats\":100", "\"seats\":null")),
        Arguments.of("null price", run("").replace("\"priceCents\":55300", "\"priceCents\":null")),
        Arguments.of(
            "null train number", run("").replace("\"trainNo\":\"G8\"", "\"trainNo\":null")),
        Arguments.of("null body", "null"),
        Arguments.of("duplicate key", run("\"seats\":5")),
        Arguments.of("trailing garbage", run("") + " {}"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badRunBodies")
  void aBadRunIsRefusedWith400AndNothingIsCreated(String kind, String body) {
    long before = runCount();
    Api.Reply reply = api.post("/api/v1/admin/runs", Api.ADMIN_TOKEN, body);
    assertProblem(reply, 400, "BAD_REQUEST");
    assertThat(runCount()).isEqualTo(before);
    assertThat(api.get("/api/v1/runs/G8-" + future().replace("-", "")).status()).isEqualTo(404);
  }

  @Test
  void aDuplicateRunIsAConflict() {
    String body = run("").replace("G8", "G9");
    assertThat(api.post("/api/v1/admin/runs", Api.ADMIN_TOKEN, body).status()).isEqualTo(201);
    long before = runCount();
    assertProblem(api.post("/api/v1/admin/runs", Api.ADMIN_TOKEN, body), 409, "CONFLICT");
    assertThat(runCount()).isEqualTo(before);
  }

  @Test
  void adminCallsNeedTheAdminToken() {
    assertProblem(api.post("/api/v1/admin/runs", null, run("")), 401, "UNAUTHORIZED");
    assertProblem(api.post("/api/v1/admin/runs", "not-the-token", run("")), 401, "UNAUTHORIZED");
    assertProblem(api.post("/api/v1/admin/runs", api.login("mallory"), run("")), 403, "FORBIDDEN");
    Api.Reply basic =
        api.send(
            HttpRequest.newBuilder(URI.create(api.uri("/api/v1/admin/runs")))
                .header("Authorization", "Basic YWRtaW46YWRtaW4=")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(run(""))));
    assertProblem(basic, 401, "UNAUTHORIZED");
  }

  @Test
  void expiredForgedAndUnsignedTokensAreRefused() throws Exception {
    String expired = token(EMBEDDED_SECRET, "alice", Instant.now().minusSeconds(60));
    String forged =
        token(
            "another-secret-of-at-least-32-bytes-long!!", "alice", Instant.now().plusSeconds(600));
    String unsigned =
        "eyJhbGciOiJub25lIn0."
            + java.util.Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(
                    "{\"sub\":\"alice\",\"exp\":4102444800}".getBytes(StandardCharsets.UTF_8))
            + ".";
    for (String bad : new String[] {expired, forged, unsigned, "garbage", ""}) {
      assertProblem(api.post("/api/v1/admin/runs", bad, run("")), 401, "UNAUTHORIZED");
    }
    // a good token is accepted by the same check (the admin route then refuses a mere user)
    assertProblem(
        api.post(
            "/api/v1/admin/runs",
            token(EMBEDDED_SECRET, "alice", Instant.now().plusSeconds(600)),
            run("")),
        403,
        "FORBIDDEN");
  }

  private static String token(String secret, String subject, Instant expires) {
    return TestTokens.token(secret, subject, expires);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badLogins")
  void aBadLoginIsRefused(String kind, String body) {
    assertProblem(api.post("/api/v1/sessions", null, body), 400, "BAD_REQUEST");
  }

  static Stream<Arguments> badLogins() {
    return Stream.of(
        Arguments.of("malformed JSON", "{\"userId\":"),
        Arguments.of("missing user id", "{}"),
        Arguments.of("user id with a space", "{\"userId\":\"al ice\"}"),
        Arguments.of("user id too long", "{\"userId\":\"" + "a".repeat(65) + "\"}"),
        Arguments.of("user id as number", "{\"userId\":42}"),
        Arguments.of("unknown field", "{\"userId\":\"alice\",\"admin\":true}"));
  }

  @Test
  void unknownIdsAndRoutesAre404() {
    assertProblem(api.get("/api/v1/runs/G1-19990101"), 404, "NOT_FOUND");
    assertProblem(api.get("/api/v1/runs/G1-19990101/stock"), 404, "NOT_FOUND");
    assertProblem(api.get("/api/v1/runs/" + "x".repeat(300) + "/stock"), 404, "NOT_FOUND");
    assertProblem(api.get("/api/v1/no-such-thing"), 404, "NOT_FOUND");
  }

  @Test
  void badQueryParametersAre400() {
    assertProblem(api.get("/api/v1/runs?limit=0"), 400, "BAD_REQUEST");
    assertProblem(api.get("/api/v1/runs?limit=501"), 400, "BAD_REQUEST");
    assertProblem(api.get("/api/v1/runs?limit=ten"), 400, "BAD_REQUEST");
    assertProblem(api.get("/api/v1/runs?date=2026-13-01"), 400, "BAD_REQUEST");
    assertProblem(api.get("/api/v1/runs?origin=" + "北".repeat(33)), 400, "BAD_REQUEST");
  }

  @Test
  void wrongMethodAndMediaTypeAreProblems() {
    Api.Reply wrongMethod =
        api.send(HttpRequest.newBuilder(URI.create(api.uri("/api/v1/runs"))).DELETE());
    assertThat(wrongMethod.status()).isEqualTo(405);
    assertThat(wrongMethod.code()).isEqualTo("BAD_REQUEST");
    Api.Reply wrongType =
        api.send(
            HttpRequest.newBuilder(URI.create(api.uri("/api/v1/sessions")))
                .header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("userId=alice")));
    assertThat(wrongType.status()).isEqualTo(415);
    assertThat(wrongType.code()).isEqualTo("BAD_REQUEST");
  }

  @Test
  void aBodyOver64KiBIs413WithOrWithoutContentLength() {
    String huge = "{\"userId\":\"" + "a".repeat(70_000) + "\"}";
    assertProblem(api.post("/api/v1/sessions", null, huge), 413, "PAYLOAD_TOO_LARGE");
    byte[] bytes = huge.getBytes(StandardCharsets.UTF_8);
    // a publisher of unknown length makes the client send the body chunked
    HttpRequest.BodyPublisher chunked =
        new HttpRequest.BodyPublisher() {
          final HttpRequest.BodyPublisher inner = HttpRequest.BodyPublishers.ofByteArray(bytes);

          @Override
          public long contentLength() {
            return -1;
          }

          @Override
          public void subscribe(Flow.Subscriber<? super java.nio.ByteBuffer> subscriber) {
            inner.subscribe(subscriber);
          }
        };
    Api.Reply reply =
        api.send(
            HttpRequest.newBuilder(URI.create(api.uri("/api/v1/sessions")))
                .header("Content-Type", "application/json")
                .POST(chunked));
    assertProblem(reply, 413, "PAYLOAD_TOO_LARGE");
  }

  /** Counted in the database: the cached search could hide a row created by mistake. */
  private long runCount() {
    return jdbc.sql("select count(*) from train_run").query(Long.class).single();
  }

  private static void assertProblem(Api.Reply reply, int status, String code) {
    assertThat(reply.status()).as(reply.body()).isEqualTo(status);
    assertThat(reply.contentType()).startsWith("application/problem+json");
    assertThat(reply.code()).isEqualTo(code);
    assertThat(reply.json().path("detail").asString()).isNotBlank();
  }
}
