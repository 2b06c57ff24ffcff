package io.railrush.app.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.railrush.app.RailrushApplication;
import io.railrush.app.testing.Api;
import io.railrush.app.testing.ClusterNode;
import io.railrush.app.testing.Payments;
import io.railrush.app.testing.TestDatabases;
import io.railrush.app.testing.TestRabbit;
import io.railrush.kit.testing.ChildJvm;
import io.railrush.kit.testing.RedisServerProcess;
import io.railrush.kit.testing.TestRedis;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * A cluster node (its own JVM, the cluster profile as shipped) logs one ECS JSON object per line,
 * and a grab's lines carry the request id nginx sent, the run and the order number; a request
 * without a usable id is given one, and the answer carries it.
 */
@Tag("postgres")
@Tag("redis")
@Tag("rabbitmq")
class ClusterStructuredLogTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void aGrabsLogLinesCarryTheRequestIdItsRunAndItsOrder() throws Exception {
    String prefix = TestRedis.uniquePrefix("structured-logs");
    int port = RedisServerProcess.freePort();
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("server.port", Integer.toString(port));
    settings.put("railrush.roles", "web");
    settings.put("logging.level.io.railrush.app.grab", "debug");
    Queue<String> lines = new ConcurrentLinkedQueue<>();
    try (ChildJvm node =
        ChildJvm.start(
            RailrushApplication.class,
            Files.createTempFile("railrush-structured", ".log"),
            ClusterNode.arguments(
                TestDatabases.freshPostgres(), TestRedis.URL, prefix, settings))) {
      Thread.ofPlatform()
          .daemon()
          .start(
              () -> {
                try {
                  while (true) {
                    lines.add(node.readLine());
                  }
                } catch (IOException exited) {
                  // the node is gone
                }
              });
      Api api = new Api(port);
      Awaitility.await()
          .atMost(Duration.ofSeconds(90))
          .ignoreExceptions()
          .until(() -> api.get("/actuator/health").status() == 200);

      String runId = new Payments(api).newRun(5);
      String token = api.login("structured-logs");
      Api.Reply grab =
          api.send(
              HttpRequest.newBuilder(URI.create(api.uri("/api/v1/runs/" + runId + "/grabs")))
                  .header("Authorization", "Bearer " + token)
                  .header("X-Request-Id", "nginx-0af3c2")
                  .POST(HttpRequest.BodyPublishers.noBody()));
      assertThat(grab.status()).as(grab.body()).isEqualTo(202);
      assertThat(grab.raw().headers().firstValue("X-Request-Id")).hasValue("nginx-0af3c2");
      String orderNo = grab.json().path("orderNo").asString();

      JsonNode line =
          Awaitility.await()
              .atMost(Duration.ofSeconds(10))
              .until(() -> lineWhere(lines, "grab by structured-logs"), Optional::isPresent)
              .orElseThrow();
      assertThat(line.path("requestId").asString()).isEqualTo("nginx-0af3c2");
      assertThat(line.path("runId").asString()).isEqualTo(runId);
      assertThat(line.path("orderNo").asString()).isEqualTo(orderNo);
      assertThat(lines).as("every line is a JSON object").allMatch(l -> l.startsWith("{"));

      Api.Reply none = api.get("/api/v1/ping");
      assertThat(none.raw().headers().firstValue("X-Request-Id").orElseThrow())
          .matches("[0-9a-f]{32}");
      Api.Reply malformed =
          api.send(
              HttpRequest.newBuilder(URI.create(api.uri("/api/v1/ping")))
                  .header("X-Request-Id", "x".repeat(65)));
      assertThat(malformed.raw().headers().firstValue("X-Request-Id").orElseThrow())
          .matches("[0-9a-f]{32}");
    } finally {
      TestRabbit.deleteBus(ClusterNode.busName(prefix));
    }
  }

  private static Optional<JsonNode> lineWhere(Queue<String> lines, String messageStart) {
    for (String line : lines) {
      if (line.startsWith("{")) {
        JsonNode json = JSON.readTree(line);
        if (json.path("message").asString().startsWith(messageStart)) {
          return Optional.of(json);
        }
      }
    }
    return Optional.empty();
  }
}
