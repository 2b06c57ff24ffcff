package io.railrush.app.grab;

import static org.assertj.core.api.Assertions.assertThat;

import io.railrush.app.testing.Api;
import io.railrush.app.testing.ClusterNode;
import io.railrush.app.testing.TestTokens;
import io.railrush.kit.testing.ChildJvm;
import io.railrush.kit.testing.RedisServerProcess;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Embedded mode on its own file database, SIGKILLed in the middle of a burst of 202s: each 202's
 * outbox row was committed to the file before the answer, so after a restart on the same data
 * directory every 202'd order number becomes an order.
 */
class EmbeddedDurabilityTest {

  @TempDir Path dir;

  @Test
  void everyGrabAnswered202BeforeASigkillIsAnOrderAfterTheRestart() throws Exception {
    String url = embeddedDatabaseUrl().replace("./data/", dir.resolve("data") + "/");
    Map<String, String> accepted = new ConcurrentHashMap<>();
    String runId;
    try (ChildJvm node = startNode(url, dir.resolve("first.log"))) {
      Api api = new Api(port);
      runId = EmbeddedGrabTest.newRun(api, 5_000, null);
      AtomicBoolean killed = new AtomicBoolean();
      AtomicInteger users = new AtomicInteger();
      try (ExecutorService clients = Executors.newFixedThreadPool(32)) {
        List<Future<?>> running = new ArrayList<>();
        for (int t = 0; t < 32; t++) {
          running.add(
              clients.submit(
                  () -> {
                    while (!killed.get()) {
                      String user = "durable-" + users.incrementAndGet();
                      try {
                        Api.Reply reply =
                            api.post(
                                "/api/v1/runs/" + runId + "/grabs",
                                TestTokens.valid(TestTokens.EMBEDDED_SECRET, user),
                                "");
                        if (reply.status() == 202) {
                          accepted.put(reply.json().path("orderNo").asString(), user);
                        }
                      } catch (RuntimeException nodeGone) {
                        return null;
                      }
                    }
                    return null;
                  }));
        }
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> accepted.size() >= 1_000);
        node.kill(); // SIGKILL while 202s are still going out
        killed.set(true);
        for (Future<?> client : running) {
          client.get();
        }
      }
    }
    assertThat(accepted).hasSizeGreaterThanOrEqualTo(1_000);

    try (ChildJvm restarted = startNode(url, dir.resolve("second.log"))) {
      Api api = new Api(port);
      Awaitility.await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(500))
          .untilAsserted(
              () -> {
                List<String> missing = new ArrayList<>();
                for (String orderNo : accepted.keySet()) {
                  Api.Reply order = api.get("/api/v1/orders/" + orderNo, Api.ADMIN_TOKEN);
                  if (order.status() != 200
                      || !order.json().path("status").asString().equals("CREATED")) {
                    missing.add(orderNo + " " + order.status());
                  }
                }
                assertThat(missing).as("202s that are not orders after the restart").isEmpty();
              });
    }
  }

  private int port;

  private ChildJvm startNode(String url, Path log) throws Exception {
    port = RedisServerProcess.freePort();
    return ClusterNode.startApp(
        port,
        log,
        true,
        "--spring.profiles.active=embedded",
        "--server.port=" + port,
        "--spring.datasource.url=" + url,
        "--logging.level.root=WARN");
  }

  /** The file database URL embedded mode ships with, so the test runs its durability settings. */
  private static String embeddedDatabaseUrl() throws IOException {
    try (InputStream yml =
        EmbeddedDurabilityTest.class.getResourceAsStream("/application-embedded.yml")) {
      String text = new String(yml.readAllBytes(), StandardCharsets.UTF_8);
      return text.lines()
          .map(String::strip)
          .filter(line -> line.startsWith("url: jdbc:h2:file:"))
          .map(line -> line.substring("url: ".length()))
          .findFirst()
          .orElseThrow();
    }
  }
}
