package io.railrush.app.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.railrush.app.testing.Api;
import io.railrush.app.testing.EmbeddedApiTest;
import io.railrush.app.testing.Payments;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The dashboard's API: the snapshot stream and the demo flash crowd — who may call them, what bad
 * input gets (and that it starts nothing), and a crowd that sells a run out exactly.
 */
@EmbeddedApiTest
class OpsApiTest {

  private static final String CROWD = "/api/v1/admin/ops/flash-crowd";

  @LocalServerPort int port;
  @Autowired JdbcClient jdbc;
  @Autowired FlashCrowd crowd;
  @Autowired OpsFigures figures;
  Api api;

  @BeforeEach
  void connect() {
    api = new Api(port);
  }

  @Test
  void theStreamSendsSnapshotsWithTheRunsFiguresToTheAdminOnly() throws Exception {
    String runId = new Payments(api).newRun(7);
    assertProblem(api.get("/api/v1/admin/ops/stream?runId=" + runId), 401, "UNAUTHORIZED");
    assertProblem(
        api.get("/api/v1/admin/ops/stream?runId=" + runId, api.login("ops-nosy")),
        403,
        "FORBIDDEN");
    assertProblem(
        api.get("/api/v1/admin/ops/stream?runId=" + "x".repeat(65), Api.ADMIN_TOKEN),
        400,
        "BAD_REQUEST");

    HttpResponse<InputStream> stream =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(api.uri("/api/v1/admin/ops/stream?runId=" + runId)))
                    .header("Authorization", "Bearer " + Api.ADMIN_TOKEN)
                    .build(),
                HttpResponse.BodyHandlers.ofInputStream());
    assertThat(stream.statusCode()).isEqualTo(200);
    assertThat(stream.headers().firstValue("Content-Type").orElse(""))
        .startsWith("text/event-stream");
    try (BufferedReader lines =
        new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
      assertThat(lines.readLine()).isEqualTo("event:snapshot");
      String data = lines.readLine();
      assertThat(data).startsWith("data:");
      JsonNode snapshot = new ObjectMapper().readTree(data.substring(5));
      assertThat(snapshot.path("run").path("runId").asString()).isEqualTo(runId);
      assertThat(snapshot.path("run").path("seats").asInt()).isEqualTo(7);
      assertThat(snapshot.path("run").path("remaining").asInt()).isEqualTo(7);
      assertThat(snapshot.path("grabs").has("accepted")).isTrue();
      assertThat(snapshot.has("grabsQueued")).isTrue();
    }
  }

  static Stream<Arguments> badCrowds() {
    return Stream.of(
        Arguments.of("malformed JSON", "{\"runId\":"),
        Arguments.of("empty body", ""),
        Arguments.of("no run", "{\"users\":10,\"seconds\":5}"),
        Arguments.of("bad run id", "{\"runId\":\"G1 20261204\",\"users\":10,\"seconds\":5}"),
        Arguments.of("no users", "{\"runId\":\"G1-20261204\",\"seconds\":5}"),
        Arguments.of("zero users", "{\"runId\":\"G1-20261204\",\"users\":0,\"seconds\":5}"),
        Arguments.of("too many users", "{\"runId\":\"G1-20261204\",\"users\":2001,\"seconds\":5}"),
        Arguments.of("too long", "{\"runId\":\"G1-20261204\",\"users\":10,\"seconds\":61}"),
        Arguments.of(
            "seconds as text", "{\"runId\":\"G1-20261204\",\"users\":10,\"seconds\":\"5\"}"),
        Arguments.of(
            "unknown field", "{\"runId\":\"G1-20261204\",\"users\":10,\"seconds\":5,\"x\":1}"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badCrowds")
  void aBadCrowdIsRefusedWith400AndStartsNothing(String kind, String body) {
    java.time.Instant lastStart = lastStart();
    assertProblem(api.post(CROWD, Api.ADMIN_TOKEN, body), 400, "BAD_REQUEST");
    assertThat(lastStart()).isEqualTo(lastStart);
  }

  private java.time.Instant lastStart() {
    FlashCrowd.Progress progress = crowd.progress();
    return progress == null ? null : progress.startedAt();
  }

  @Test
  void aCrowdNeedsTheAdminAndThisMachine() {
    java.time.Instant lastStart = lastStart();
    String body = "{\"runId\":\"G1-20261204\",\"users\":10,\"seconds\":5}";
    assertProblem(api.post(CROWD, null, body), 401, "UNAUTHORIZED");
    assertProblem(api.post(CROWD, api.login("ops-crowd-nosy"), body), 403, "FORBIDDEN");
    Api.Reply proxied =
        api.send(
            HttpRequest.newBuilder(URI.create(api.uri(CROWD)))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + Api.ADMIN_TOKEN)
                .header("X-Forwarded-For", "203.0.113.9")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    assertProblem(proxied, 403, "FORBIDDEN");
    assertThat(lastStart()).isEqualTo(lastStart);
  }

  @Test
  void aCrowdSellsARunOutExactlyAndOnlyOneRunsAtATime() {
    String runId = new Payments(api).newRun(40);
    Api.Reply started =
        api.post(
            CROWD, Api.ADMIN_TOKEN, "{\"runId\":\"" + runId + "\",\"users\":120,\"seconds\":30}");
    assertThat(started.status()).as(started.body()).isEqualTo(202);
    assertProblem(
        api.post(CROWD, Api.ADMIN_TOKEN, "{\"runId\":\"" + runId + "\",\"users\":1,\"seconds\":1}"),
        409,
        "CONFLICT");

    await().atMost(Duration.ofSeconds(45)).until(() -> !crowd.progress().running());
    FlashCrowd.Progress done = crowd.progress();
    assertThat(done.answers().get("202")).isEqualTo(40L);
    assertThat(done.answers().get("409")).isEqualTo(80L); // sold out
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                jdbc.sql(
                            "select count(*) from ticket_order where run_id = ? and status = 'CREATED'")
                        .param(runId)
                        .query(Long.class)
                        .single()
                    == 40);
    assertThat(
            jdbc.sql("select sold from train_run where run_id = ?")
                .param(runId)
                .query(Integer.class)
                .single())
        .isEqualTo(40);
    OpsFigures.Snapshot after = figures.snapshot(runId);
    assertThat(after.run().sold()).isEqualTo(40);
    assertThat(after.run().remaining()).isZero();
    assertThat(after.run().pending()).as("every accepted grab is written").isZero();
    assertThat(after.grabs().get("accepted")).isGreaterThanOrEqualTo(40);
    assertThat(after.writeLag().count())
        .as("orders whose lag was measured")
        .isGreaterThanOrEqualTo(40);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> figures.snapshot(null).lockWaits().count() > 0); // the sweepers' turns
  }

  private static void assertProblem(Api.Reply reply, int status, String code) {
    assertThat(reply.status()).as(reply.body()).isEqualTo(status);
    assertThat(reply.code()).isEqualTo(code);
  }
}
