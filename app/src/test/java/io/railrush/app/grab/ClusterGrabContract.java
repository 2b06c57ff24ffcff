package io.railrush.app.grab;

import static org.assertj.core.api.Assertions.assertThat;

import io.railrush.app.testing.Api;
import io.railrush.app.testing.ClusterNode;
import io.railrush.app.testing.FlashSale;
import io.railrush.app.testing.TestDatabases;
import io.railrush.app.testing.TestRabbit;
import io.railrush.app.testing.TestTokens;
import io.railrush.kit.BackendUnavailableException;
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
    return statusesBy("order_no", runId);
  }

  /** {@code keyColumn} (order_no, user_id) → status of the orders of {@code runId}. */
  protected Map<String, String> statusesBy(String keyColumn, String runId) throws Exception {
    Map<String, String> statuses = new HashMap<>();
    try (Connection c = DriverManager.getConnection(db.url(), db.username(), "");
        PreparedStatement s =
            c.prepareStatement(
                "select " + keyColumn + ", status from ticket_order where run_id = ?")) {
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

  private static long deadGrabs(Api api) {
    return api.get("/api/v1/admin/grabs/dead", Api.ADMIN_TOKEN).json().path("dead").asLong();
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
    // three drops while publishes are in flight: each closes channels with confirms pending;
    // after the first, Redis stalls for 3 s, so the writer's read of the abandoned marks times out
    Runnable dropThrice =
        () -> {
          for (int drop = 0; drop < 3; drop++) {
            TestRabbit.dropAllConnections();
            if (drop == 0) {
              try (RedisConnector redis = RedisConnector.of(TestRedis.URL)) {
                redis.sync().clientPause(3_000);
              }
            }
            try {
              Thread.sleep(300);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
              return;
            }
          }
        };
    FlashSale sale =
        new FlashSale(nodes, TestTokens.CLUSTER_SECRET, runId, "dropped-")
            .run(5_000, 3, 200, 150, dropThrice);
    JsonNode audit = sale.awaitSettled(nodeA.api(), Duration.ofSeconds(90));
    sale.assertInvariants(audit, ordersOf(runId), 200);
    // a 202 is an order that holds its seat, and nothing answered 503 holds one
    assertThat(created(audit)).as(sale.toString()).isEqualTo(sale.accepted.size());
    // and once the reconciler has returned what the 503s held, the seat store agrees
    SeatHolds seats = nodeA.bean(SeatHolds.class);
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .ignoreExceptionsInstanceOf(BackendUnavailableException.class) // a slow Redis: ask again
        .untilAsserted(
            () -> {
              assertThat(seats.holders(runId)).hasSize((int) created(audit));
              assertThat(seats.remaining(runId) + seats.holders(runId).size()).isEqualTo(200);
            });
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

  @Test
  void aDeadLetteredGrabIsWrittenOnceReplayed() throws Exception {
    String runId = newRun(nodeA.api(), 5);
    awaitRunKnown(List.of(nodeA.api()), runId);
    String orderNo = nodeA.bean(io.railrush.kit.id.OrderNumberGenerator.class).next();
    GrabAccepted grab =
        new GrabAccepted(orderNo, runId, "revived", 55300, null, System.currentTimeMillis());
    org.springframework.amqp.core.MessageProperties properties =
        new org.springframework.amqp.core.MessageProperties();
    properties.setContentType("application/json");
    properties.setMessageId(orderNo);
    String deadQueue = ClusterNode.busName(prefix) + ".dead";
    nodeA
        .bean(org.springframework.amqp.rabbit.core.RabbitTemplate.class)
        .send(
            "",
            deadQueue,
            new org.springframework.amqp.core.Message(
                nodeA.bean(tools.jackson.databind.ObjectMapper.class).writeValueAsBytes(grab),
                properties));
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> deadGrabs(nodeB.api()) == 1);
    assertThat(ordersOf(runId)).isEmpty();

    Api.Reply replayed = nodeB.api().post("/api/v1/admin/grabs/dead/replay", Api.ADMIN_TOKEN, "");
    assertThat(replayed.status()).as(replayed.body()).isEqualTo(200);
    assertThat(replayed.json().path("replayed").asInt()).isEqualTo(1);
    Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> "CREATED".equals(ordersOf(runId).get(orderNo)));
    assertThat(TestRabbit.messagesIn(deadQueue)).isZero();
  }

  /**
   * Grabs travel in bundles; one grab the writer refuses must neither hold back the others nor take
   * them to the dead letters with it.
   */
  @Test
  void aBundleWithAGrabTheWriterRefusesWritesTheOthersAndDeadLettersThatGrabAlone()
      throws Exception {
    String runId = newRun(nodeA.api(), 5);
    awaitRunKnown(List.of(nodeA.api()), runId);
    io.railrush.kit.id.OrderNumberGenerator numbers =
        nodeA.bean(io.railrush.kit.id.OrderNumberGenerator.class);
    long now = System.currentTimeMillis();
    GrabAccepted first = new GrabAccepted(numbers.next(), runId, "bundled-1", 55300, null, now);
    // a user id longer than its column: the database refuses this grab every time
    GrabAccepted refused =
        new GrabAccepted(numbers.next(), runId, "u".repeat(65), 55300, null, now);
    GrabAccepted last = new GrabAccepted(numbers.next(), runId, "bundled-2", 55300, null, now);
    org.springframework.amqp.core.MessageProperties properties =
        new org.springframework.amqp.core.MessageProperties();
    properties.setContentType("application/json");
    org.springframework.amqp.rabbit.core.RabbitTemplate rabbit =
        nodeA.bean(org.springframework.amqp.rabbit.core.RabbitTemplate.class);
    tools.jackson.databind.ObjectMapper json =
        nodeA.bean(tools.jackson.databind.ObjectMapper.class);
    rabbit.send(
        ClusterNode.busName(prefix),
        "accepted",
        new org.springframework.amqp.core.Message(
            json.writeValueAsBytes(List.of(first, refused, last)), properties));

    Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> deadGrabs(nodeB.api()) == 1);
    assertThat(ordersOf(runId))
        .containsOnly(Map.entry(first.orderNo(), "CREATED"), Map.entry(last.orderNo(), "CREATED"));
    org.springframework.amqp.core.Message dead =
        rabbit.receive(ClusterNode.busName(prefix) + ".dead", 5_000);
    assertThat(dead).isNotNull();
    assertThat(json.readTree(dead.getBody()).findValuesAsString("orderNo"))
        .as("the dead letter holds the refused grab alone")
        .containsExactly(refused.orderNo());
  }

  @Test
  void oneIdempotencyKeySentTwentyTimesAtOnceThroughTwoNodesMakesOneOrder() throws Exception {
    String runId = newRun(nodeA.api(), 10);
    awaitRunKnown(List.of(nodeA.api(), nodeB.api()), runId);
    String token = TestTokens.valid(TestTokens.CLUSTER_SECRET, "twenty-clicks");
    java.util.concurrent.ConcurrentLinkedQueue<Api.Reply> replies =
        new java.util.concurrent.ConcurrentLinkedQueue<>();
    java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
    try (var pool = java.util.concurrent.Executors.newFixedThreadPool(20)) {
      List<java.util.concurrent.Future<?>> sent = new java.util.ArrayList<>();
      for (int i = 0; i < 20; i++) {
        Api node = i % 2 == 0 ? nodeA.api() : nodeB.api();
        sent.add(
            pool.submit(
                () -> {
                  start.await();
                  replies.add(
                      node.send(
                          java.net.http.HttpRequest.newBuilder(
                                  java.net.URI.create(node.uri("/api/v1/runs/" + runId + "/grabs")))
                              .header("Authorization", "Bearer " + token)
                              .header("Idempotency-Key", "buy-once")
                              .POST(java.net.http.HttpRequest.BodyPublishers.noBody())));
                  return null;
                }));
      }
      start.countDown();
      for (var f : sent) {
        f.get();
      }
    }
    java.util.Set<String> orderNos = new java.util.HashSet<>();
    for (Api.Reply reply : replies) {
      assertThat(reply.status()).as(reply.body()).isIn(202, 409);
      if (reply.status() == 202) {
        orderNos.add(reply.json().path("orderNo").asString());
      } else {
        assertThat(reply.code()).isEqualTo("CONFLICT"); // "in progress", with Retry-After
      }
    }
    assertThat(orderNos).hasSize(1);
    // a retry after the first finished replays its answer, on either node
    for (Api node : List.of(nodeA.api(), nodeB.api())) {
      Api.Reply replay =
          node.send(
              java.net.http.HttpRequest.newBuilder(
                      java.net.URI.create(node.uri("/api/v1/runs/" + runId + "/grabs")))
                  .header("Authorization", "Bearer " + token)
                  .header("Idempotency-Key", "buy-once")
                  .POST(java.net.http.HttpRequest.BodyPublishers.noBody()));
      assertThat(replay.status()).isEqualTo(202);
      assertThat(replay.json().path("orderNo").asString()).isEqualTo(orderNos.iterator().next());
    }
    Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> ordersOf(runId).size() == 1);
    Thread.sleep(1_000);
    assertThat(ordersOf(runId)).hasSize(1).containsValue("CREATED");
  }
}
