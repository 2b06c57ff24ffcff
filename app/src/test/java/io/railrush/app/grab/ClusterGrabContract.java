package io.railrush.app.grab;

import static org.assertj.core.api.Assertions.assertThat;

import io.railrush.app.testing.Api;
import io.railrush.app.testing.ClusterNode;
import io.railrush.app.testing.FlashSale;
import io.railrush.app.testing.TestDatabases;
import io.railrush.app.testing.TestRabbit;
import io.railrush.app.testing.TestTokens;
import io.railrush.kit.redis.RedisConnector;
import io.railrush.kit.testing.ChildJvm;
import io.railrush.kit.testing.RedisServerProcess;
import io.railrush.kit.testing.TestRedis;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;

/**
 * Flash sales on a cluster: app nodes over HTTP on a real database, the machine's Redis and
 * RabbitMQ; then the same sale with a consumer JVM SIGKILLed, with the broker dropping every
 * connection, and with Redis flushed, each audited from the database. Subclasses say which
 * database.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ClusterGrabContract {

  /** Quick healing, so tests need not wait for production timeouts. */
  protected static final Map<String, String> FAST =
      Map.of("railrush.grab.reconcile-every", "1s", "railrush.grab.reservation-timeout", "5s");

  private static final AtomicInteger trains = new AtomicInteger(100);

  protected abstract TestDatabases.Database freshDatabase();

  private TestDatabases.Database db;
  private String prefix;
  private ClusterNode nodeA;
  private ClusterNode nodeB;

  @BeforeAll
  void startTwoNodes() {
    db = freshDatabase();
    prefix = TestRedis.uniquePrefix("grab");
    nodeA = ClusterNode.start(db, TestRedis.URL, prefix, FAST);
    nodeB = ClusterNode.start(db, TestRedis.URL, prefix, FAST);
  }

  @AfterAll
  void stopNodes() {
    nodeA.close();
    nodeB.close();
  }

  protected static String newRun(Api api, int seats) {
    String date = LocalDate.now(ZoneId.of("Asia/Shanghai")).plusDays(4).toString();
    return api.createRun("G" + trains.incrementAndGet(), date, "北京西", "广州南", seats);
  }

  protected TestDatabases.Database database() {
    return db;
  }

  protected Map<String, String> ordersOf(String runId) throws Exception {
    Map<String, String> statuses = new HashMap<>();
    try (Connection c = DriverManager.getConnection(db.url(), db.username(), "");
        PreparedStatement s =
            c.prepareStatement("select order_no, status from ticket_order where run_id = ?")) {
      s.setString(1, runId);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          statuses.put(rs.getString(1), rs.getString(2));
        }
      }
    }
    return statuses;
  }

  protected static void awaitRunKnown(List<Api> nodes, String runId) {
    for (Api api : nodes) {
      Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> api.get("/api/v1/runs/" + runId).status() == 200);
    }
  }

  private static long created(JsonNode audit) {
    return audit.path("ordersByStatus").path("CREATED").asLong();
  }

  @Test
  void twoHundredSeatsFiveThousandUsersThreeAttemptsEachOnTwoNodesSellExactlyTwoHundred()
      throws Exception {
    List<Api> nodes = List.of(nodeA.api(), nodeB.api());
    String runId = newRun(nodeA.api(), 200);
    awaitRunKnown(nodes, runId);
    FlashSale sale =
        new FlashSale(nodes, TestTokens.CLUSTER_SECRET, runId, "fan-")
            .readingEveryLocation()
            .run(5_000, 3, 200, 0, null);
    JsonNode audit = sale.awaitSettled(nodeA.api(), Duration.ofSeconds(60));
    assertThat(sale.accepted).as(sale.toString()).hasSize(200);
    assertThat(created(audit)).isEqualTo(200);
    sale.assertInvariants(audit, ordersOf(runId), 200);
  }

  @Test
  void theBrokerDroppingEveryConnectionMidSaleLosesNothingAndSellsNoSeatTwice() throws Exception {
    List<Api> nodes = List.of(nodeA.api(), nodeB.api());
    String runId = newRun(nodeA.api(), 200);
    awaitRunKnown(nodes, runId);
    FlashSale sale =
        new FlashSale(nodes, TestTokens.CLUSTER_SECRET, runId, "dropped-")
            .run(5_000, 3, 200, 150, TestRabbit::dropAllConnections);
    JsonNode audit = sale.awaitSettled(nodeA.api(), Duration.ofSeconds(90));
    sale.assertInvariants(audit, ordersOf(runId), 200);
    assertThat(created(audit)).as(sale.toString()).isPositive();
    // after recovery the pipeline takes grabs again: each answer is a 202 or SOLD_OUT, not BUSY
    String token = TestTokens.valid(TestTokens.CLUSTER_SECRET, "after-the-drop");
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(500))
        .until(
            () -> {
              Api.Reply reply = nodeB.api().post("/api/v1/runs/" + runId + "/grabs", token, "");
              return reply.status() == 202
                  || "SOLD_OUT".equals(reply.code())
                  || "ALREADY_HOLDING".equals(reply.code());
            });
  }

  @Test
  void aConsumerJvmKilledMidSaleIsReplacedAndEveryAcceptedGrabBecomesOneOrder() throws Exception {
    String ownPrefix = TestRedis.uniquePrefix("grab-kill");
    Map<String, String> webOnly = new LinkedHashMap<>(FAST);
    webOnly.put("railrush.roles", "web,sweeper");
    Path logs = Files.createTempDirectory("railrush-consumers");
    ChildJvm[] consumers = new ChildJvm[2];
    try (ClusterNode web = ClusterNode.start(db, TestRedis.URL, ownPrefix, webOnly)) {
      consumers[0] =
          ClusterNode.startJvm(db, ownPrefix, "order", FAST, logs.resolve("consumer-1.log"));
      String runId = newRun(web.api(), 200);
      awaitRunKnown(List.of(web.api()), runId);
      Runnable killAndReplace =
          () -> {
            try {
              consumers[0].kill(); // SIGKILL: no ack, no rollback, no goodbye
              consumers[1] =
                  ClusterNode.startJvm(
                      db, ownPrefix, "order", FAST, logs.resolve("consumer-2.log"));
            } catch (Exception e) {
              throw new IllegalStateException(e);
            }
          };
      FlashSale sale =
          new FlashSale(List.of(web.api()), TestTokens.CLUSTER_SECRET, runId, "killed-")
              .run(5_000, 3, 200, 250, killAndReplace);
      JsonNode audit = sale.awaitSettled(web.api(), Duration.ofSeconds(90));
      assertThat(sale.accepted).as(sale.toString()).hasSize(200);
      assertThat(created(audit)).isEqualTo(200);
      sale.assertInvariants(audit, ordersOf(runId), 200);
    } finally {
      for (ChildJvm consumer : consumers) {
        if (consumer != null) {
          consumer.close();
        }
      }
      TestRabbit.deleteBus(
          ClusterNode.busName(
              ownPrefix)); // the web node deleted it; a consumer may have declared it again
    }
  }

  @Test
  void redisFlushedMidSaleNeverOversellsReseedsAndSellsEverySeatInTheEnd() throws Exception {
    int seats = 1_000;
    String ownPrefix = TestRedis.uniquePrefix("grab-flush");
    try (RedisServerProcess redis = RedisServerProcess.start();
        RedisConnector flusher = RedisConnector.of(redis.url());
        ClusterNode c = ClusterNode.start(db, redis.url(), ownPrefix, FAST);
        ClusterNode d = ClusterNode.start(db, redis.url(), ownPrefix, FAST)) {
      List<Api> nodes = List.of(c.api(), d.api());
      String runId = newRun(c.api(), seats);
      awaitRunKnown(nodes, runId);
      FlashSale sale =
          new FlashSale(nodes, TestTokens.CLUSTER_SECRET, runId, "flushed-")
              .run(5_000, 3, 200, 600, () -> flusher.sync().flushall());
      JsonNode audit = sale.awaitSettled(c.api(), Duration.ofSeconds(90));
      sale.assertInvariants(audit, ordersOf(runId), seats);

      // the counter was re-seeded: new buyers keep coming until every seat is sold, never more
      AtomicInteger wave = new AtomicInteger();
      Awaitility.await()
          .atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofSeconds(1))
          .until(
              () -> {
                FlashSale more =
                    new FlashSale(
                            nodes,
                            TestTokens.CLUSTER_SECRET,
                            runId,
                            "wave-" + wave.incrementAndGet() + "-")
                        .run(300, 1, 50, 0, null);
                JsonNode settled = more.awaitSettled(c.api(), Duration.ofSeconds(30));
                assertThat(created(settled)).isLessThanOrEqualTo(seats);
                return created(settled) == seats;
              });
      JsonNode end = sale.audit(c.api());
      assertThat(end.path("sold").asInt()).isEqualTo(seats);
      assertThat(end.path("usersWithMoreThanOneActiveOrder").asInt()).isZero();
    }
  }
}
