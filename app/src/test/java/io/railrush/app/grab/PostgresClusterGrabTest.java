package io.railrush.app.grab;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.railrush.app.testing.Api;
import io.railrush.app.testing.ClusterNode;
import io.railrush.app.testing.FlashSale;
import io.railrush.app.testing.TcpProxy;
import io.railrush.app.testing.TestDatabases;
import io.railrush.app.testing.TestRabbit;
import io.railrush.app.testing.TestTokens;
import io.railrush.kit.testing.RedisServerProcess;
import io.railrush.kit.testing.TestRedis;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import tools.jackson.databind.JsonNode;

@Tag("postgres")
@Tag("redis")
@Tag("rabbitmq")
class PostgresClusterGrabTest extends ClusterGrabContract {

  private static final Duration READ_ONLY = Duration.ofSeconds(60);

  @Override
  protected TestDatabases.Database freshDatabase() {
    return TestDatabases.freshPostgres();
  }

  /**
   * A database that still accepts connections but refuses every write — a standby promoted late, a
   * primary put read-only — for a minute in the middle of a sale: the order writers hold their
   * batches until it takes writes again; no accepted grab is dead-lettered or lost.
   */
  @Test
  void aDatabaseThatRefusesWritesForAMinuteMidSaleLosesNoAcceptedGrab() throws Exception {
    // the nodes log in as a role of their own, so only their sessions turn read-only
    TestDatabases.Database readOnlyLater = TestDatabases.asNewPostgresRole(database());
    String role = readOnlyLater.username();
    String ownPrefix = TestRedis.uniquePrefix("grab-ro");
    // the reconciler must not be what this test exercises: a long reservation timeout
    Map<String, String> settings = new LinkedHashMap<>(FAST);
    settings.put("railrush.grab.reservation-timeout", "5m");
    try (ClusterNode c = ClusterNode.start(readOnlyLater, TestRedis.URL, ownPrefix, settings);
        ClusterNode d = ClusterNode.start(readOnlyLater, TestRedis.URL, ownPrefix, settings)) {
      List<Api> nodes = List.of(c.api(), d.api());
      String runId = newRun(c.api(), 300);
      awaitRunKnown(nodes, runId);
      long[] readOnlySince = new long[1];
      FlashSale sale =
          new FlashSale(nodes, TestTokens.CLUSTER_SECRET, runId, "read-only-")
              .run(
                  2_000,
                  1,
                  100,
                  100,
                  () -> {
                    admin("alter role " + role + " set default_transaction_read_only = on");
                    terminateSessionsOf(role); // the pools reconnect, read-only
                    readOnlySince[0] = System.nanoTime();
                  });
      long left = READ_ONLY.toNanos() - (System.nanoTime() - readOnlySince[0]);
      if (left > 0) {
        Thread.sleep(left / 1_000_000);
      }
      assertThat(
              c.bean(io.micrometer.core.instrument.MeterRegistry.class)
                      .get("railrush.orders.parked")
                      .gauge()
                      .value()
                  + d.bean(io.micrometer.core.instrument.MeterRegistry.class)
                      .get("railrush.orders.parked")
                      .gauge()
                      .value())
          .as("grabs held while the database refuses writes")
          .isPositive();
      admin("alter role " + role + " reset default_transaction_read_only");
      terminateSessionsOf(role);

      JsonNode audit = sale.awaitSettled(c.api(), Duration.ofSeconds(90));
      assertThat(sale.accepted).as(sale.toString()).hasSize(300);
      assertThat(audit.path("ordersByStatus").path("CREATED").asLong()).isEqualTo(300);
      sale.assertInvariants(audit, ordersOf(runId), 300);
      assertThat(TestRabbit.messagesIn(ClusterNode.busName(ownPrefix) + ".dead")).isZero();
    } finally {
      admin("alter role " + role + " reset default_transaction_read_only");
      TestDatabases.dropPostgresRole(role);
    }
  }

  /**
   * Publisher confirms lost with the connection (a proxy between the web node and RabbitMQ holds
   * the broker's replies, then cuts): Spring AMQP answers the pending publishes with nacks of its
   * own, yet the broker holds the messages. First round: the writer wrote the orders before the cut
   * — the buyers were told 503, but the seat stays theirs and their retry names their order. Second
   * round: the writer reads the abandoned marks while its Redis answers nothing (a second proxy
   * stalls) — it must wait for them, then fail those grabs and give their seats back, never sell a
   * seat whose buyer was told 503.
   */
  @Test
  void aConfirmLostWithTheConnectionIsAnUnknownOutcomeNeverARefusal() throws Exception {
    String ownPrefix = TestRedis.uniquePrefix("grab-confirm-lost");
    int seats = 20;
    URI redis = URI.create(TestRedis.URL);
    try (TcpProxy toBroker = TcpProxy.to("127.0.0.1", 5672);
        TcpProxy writersRedis = TcpProxy.to(redis.getHost(), redis.getPort())) {
      Map<String, String> web = new LinkedHashMap<>(FAST);
      web.put("railrush.roles", "web"); // no reconciler: only the writer decides here
      web.put("spring.rabbitmq.port", Integer.toString(toBroker.port()));
      web.put("railrush.grab.publish-timeout", "60s");
      // the backlog probe would take the one open channel and wait on the held replies with it
      web.put("railrush.grab.backlog-sample-every", "1h");
      Map<String, String> writer = new LinkedHashMap<>(FAST);
      writer.put("railrush.roles", "order");
      String writersRedisUrl = "redis://127.0.0.1:" + writersRedis.port();
      try (ClusterNode w = ClusterNode.start(database(), TestRedis.URL, ownPrefix, web);
          ClusterNode o = ClusterNode.start(database(), writersRedisUrl, ownPrefix, writer)) {
        String runId = newRun(w.api(), seats);
        awaitRunKnown(List.of(w.api()), runId);
        SeatHolds seatStore = w.bean(SeatHolds.class);
        String queue = ClusterNode.busName(ownPrefix) + ".accepted";

        // round 1: the broker stores the grab and the writer writes it; the confirm never comes
        // back (a grab first, so the publisher has an open channel: opening one needs a reply)
        assertThat(grab(w.api(), runId, "warm-a").status()).isEqualTo(202);
        toBroker.holdReplies();
        CompletableFuture<Api.Reply> lostA = grabLater(w.api(), runId, "lost-a");
        Awaitility.await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> statusesBy("user_id", runId).containsKey("lost-a"));
        toBroker.cutAll();
        toBroker.flow();
        assertThat(lostA.get(30, TimeUnit.SECONDS).code()).isEqualTo("BUSY");
        assertThat(statusesBy("user_id", runId)).containsEntry("lost-a", "CREATED");
        assertThat(seatStore.holders(runId))
            .as("the seat of an order that exists stays held in the seat store")
            .containsOnlyKeys("warm-a", "lost-a");
        Api.Reply retry = grab(w.api(), runId, "lost-a");
        assertThat(retry.code()).as(retry.body()).isEqualTo("ALREADY_HOLDING");
        assertThat(retry.json().path("orderNo").asString())
            .isEqualTo(seatStore.holders(runId).get("lost-a"));

        // round 2: the grab waits in the queue until the web node has marked it abandoned
        SimpleMessageListenerContainer consumer =
            o.bean("grabConsumer", SimpleMessageListenerContainer.class);
        Awaitility.await() // a fresh connection and channel since the cut
            .atMost(Duration.ofSeconds(30))
            .until(() -> grab(w.api(), runId, "warm-b").status() == 202);
        Awaitility.await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> TestRabbit.messagesIn(queue) == 0);
        consumer.stop();
        toBroker.holdReplies();
        CompletableFuture<Api.Reply> lostB = grabLater(w.api(), runId, "lost-b");
        Awaitility.await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> TestRabbit.messagesIn(queue) == 1);
        toBroker.cutAll();
        toBroker.flow();
        assertThat(lostB.get(30, TimeUnit.SECONDS).code()).isEqualTo("BUSY");
        writersRedis.stall(); // the writer's read of the abandoned marks times out
        consumer.start();
        MeterRegistry writerMeters = o.bean(MeterRegistry.class);
        Awaitility.await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () ->
                    writerMeters.get("railrush.orders.parked").gauge().value() > 0
                        || statusesBy("user_id", runId).containsKey("lost-b"));
        Thread.sleep(2_000); // a few tries of the parked batch while Redis stays silent
        writersRedis.flow();

        Awaitility.await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> statusesBy("user_id", runId).containsKey("lost-b"));
        assertThat(statusesBy("user_id", runId))
            .as("a grab answered 503 and marked abandoned before the writer saw it is not sold")
            .containsEntry("lost-b", "FAILED");
        Awaitility.await()
            .atMost(Duration.ofSeconds(15))
            .untilAsserted(
                () -> {
                  assertThat(seatStore.holders(runId))
                      .containsOnlyKeys("warm-a", "lost-a", "warm-b");
                  assertThat(seatStore.remaining(runId)).isEqualTo(seats - 3);
                });
      }
    }
  }

  /**
   * Grabs wait for the bundle publisher: one still waiting when its request gives up was never
   * sent, so its seat goes back at once and it must never be sent later; one the publisher has
   * taken may reach the broker, so its seat stays until the writer decides.
   */
  @Test
  void aGrabStillQueuedForThePublisherWhenItsWaitEndsIsNeverSentAndItsSeatIsReturned()
      throws Exception {
    String ownPrefix = TestRedis.uniquePrefix("grab-left-out");
    try (TcpProxy toBroker = TcpProxy.to("127.0.0.1", 5672)) {
      Map<String, String> web = new LinkedHashMap<>(FAST);
      web.put("railrush.roles", "web");
      web.put("spring.rabbitmq.port", Integer.toString(toBroker.port()));
      web.put("railrush.grab.publish-timeout", "3s");
      web.put("railrush.grab.backlog-sample-every", "1h");
      Map<String, String> writer = new LinkedHashMap<>(FAST);
      writer.put("railrush.roles", "order");
      try (ClusterNode w = ClusterNode.start(database(), TestRedis.URL, ownPrefix, web);
          ClusterNode o = ClusterNode.start(database(), TestRedis.URL, ownPrefix, writer)) {
        String runId = newRun(w.api(), 10);
        awaitRunKnown(List.of(w.api()), runId);
        SeatHolds seatStore = w.bean(SeatHolds.class);
        assertThat(grab(w.api(), runId, "warm").status()).isEqualTo(202);
        // the publisher's next send must open a new connection, whose handshake waits for replies
        toBroker.cutAll();
        toBroker.holdReplies();
        CompletableFuture<Api.Reply> taken = grabLater(w.api(), runId, "taken");
        Awaitility.await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> seatStore.holders(runId).containsKey("taken"));
        Thread.sleep(200); // the publisher has taken it and is stuck connecting
        CompletableFuture<Api.Reply> queued = grabLater(w.api(), runId, "queued");

        assertThat(taken.get(30, TimeUnit.SECONDS).code()).isEqualTo("BUSY");
        assertThat(queued.get(30, TimeUnit.SECONDS).code()).isEqualTo("BUSY");
        assertThat(seatStore.holders(runId))
            .as("the queued grab's seat is back; the taken one's stays, it may reach the broker")
            .containsOnlyKeys("warm", "taken");

        toBroker.flow();
        Awaitility.await() // the publisher is past the stuck connection: later grabs go through
            .atMost(Duration.ofSeconds(60))
            .until(() -> grab(w.api(), runId, "after").status() == 202);
        Awaitility.await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> statusesBy("user_id", runId).containsKey("after"));
        Map<String, String> orders = statusesBy("user_id", runId);
        assertThat(orders)
            .as("the queued grab, answered 503 with its seat returned, was never sent")
            .doesNotContainKey("queued");
        assertThat(orders.getOrDefault("taken", "never sent"))
            .as("the taken grab, answered 503, never sells a seat")
            .isNotEqualTo("CREATED");
      }
    }
  }

  private static Api.Reply grab(Api api, String runId, String user) {
    return api.post(
        "/api/v1/runs/" + runId + "/grabs", TestTokens.valid(TestTokens.CLUSTER_SECRET, user), "");
  }

  private static CompletableFuture<Api.Reply> grabLater(Api api, String runId, String user) {
    return CompletableFuture.supplyAsync(
        () -> grab(api, runId, user), task -> Thread.ofVirtual().start(task));
  }

  /**
   * A consumer that stalls (a long GC, SIGSTOP) with the sale's grabs in its prefetch: the queue
   * reads empty, yet those grabs are on their way, so the reconciler must not hand their seats to
   * new buyers — who would get 202s that end FAILED at the database guard.
   */
  @Test
  void aConsumerStalledForSeventySecondsWithTheSaleInItsPrefetchSellsNoSeatTwice()
      throws Exception {
    String ownPrefix = TestRedis.uniquePrefix("grab-stall");
    Map<String, String> webOnly = new LinkedHashMap<>(FAST); // reservation timeout 5 s
    webOnly.put("railrush.roles", "web,sweeper");
    java.nio.file.Path logs = java.nio.file.Files.createTempDirectory("railrush-stalled");
    try (ClusterNode web = ClusterNode.start(database(), TestRedis.URL, ownPrefix, webOnly);
        io.railrush.kit.testing.ChildJvm consumer =
            ClusterNode.startJvm(database(), ownPrefix, "order", FAST, logs.resolve("c.log"))) {
      String runId = newRun(web.api(), 200);
      awaitRunKnown(List.of(web.api()), runId);
      consumer.signal("STOP");
      long stoppedAt = System.nanoTime();
      FlashSale first =
          new FlashSale(List.of(web.api()), TestTokens.CLUSTER_SECRET, runId, "stall-a-")
              .run(1_000, 1, 50, 0, null);
      assertThat(first.accepted).as(first.toString()).hasSize(200);
      Thread.sleep(15_000); // several reconciler rounds past the 5 s reservation timeout
      FlashSale second =
          new FlashSale(List.of(web.api()), TestTokens.CLUSTER_SECRET, runId, "stall-b-")
              .run(1_000, 1, 50, 0, null);
      assertThat(second.accepted.size()).as("seats handed out again: " + second).isZero();
      long stalled = Duration.ofSeconds(70).toNanos() - (System.nanoTime() - stoppedAt);
      Thread.sleep(Math.max(0, stalled / 1_000_000));
      consumer.signal("CONT");

      JsonNode audit = first.awaitSettled(web.api(), Duration.ofSeconds(90));
      assertThat(audit.path("ordersByStatus").path("CREATED").asLong()).isEqualTo(200);
      assertThat(audit.path("ordersByStatus").path("FAILED").asLong()).isZero();
      first.assertInvariants(audit, ordersOf(runId), 200);
    }
  }

  /**
   * Redis SIGKILLed mid-sale and back (empty) 3 s later: grabs meanwhile are 503 BUSY with
   * Retry-After, never a 5xx; nothing is oversold; once it is back the sale goes on.
   */
  @Test
  void redisKilledMidSaleIsBusyNeverAnErrorAndTheSaleGoesOnWhenItIsBack() throws Exception {
    String ownPrefix = TestRedis.uniquePrefix("grab-redis-kill");
    RedisServerProcess[] redis = {RedisServerProcess.start()};
    int port = redis[0].port();
    try (ClusterNode c = ClusterNode.start(database(), redis[0].url(), ownPrefix, FAST);
        ClusterNode d = ClusterNode.start(database(), redis[0].url(), ownPrefix, FAST)) {
      List<Api> nodes = List.of(c.api(), d.api());
      String runId = newRun(c.api(), 500);
      awaitRunKnown(nodes, runId);
      FlashSale sale =
          new FlashSale(nodes, TestTokens.CLUSTER_SECRET, runId, "redis-killed-")
              .run(
                  3_000,
                  2,
                  100,
                  500,
                  () -> {
                    try {
                      redis[0].kill();
                      Thread.sleep(3_000);
                      redis[0] = RedisServerProcess.startOn(port);
                    } catch (Exception e) {
                      throw new IllegalStateException(e);
                    }
                  });
      assertThat(sale.answers).as(sale.toString()).containsKey("503 BUSY");
      JsonNode audit = sale.awaitSettled(c.api(), Duration.ofSeconds(90));
      sale.assertInvariants(audit, ordersOf(runId), 500); // includes: no 5xx, Retry-After on 503
      String token = TestTokens.valid(TestTokens.CLUSTER_SECRET, "after-redis-came-back");
      Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(500))
          .until(
              () -> {
                Api.Reply reply = d.api().post("/api/v1/runs/" + runId + "/grabs", token, "");
                return reply.status() == 202 || "SOLD_OUT".equals(reply.code());
              });
    } finally {
      redis[0].close();
    }
  }

  /**
   * Two sweeper JVMs, 2,000 orders past their payment window at once; the one sweeping is SIGKILLed
   * mid-round (found by its log of each 500 cancelled): the other takes over once the dead one's
   * lock lease runs out, and each order is cancelled exactly once, its seat back once.
   */
  @Test
  void twoSweeperNodesCancelEachExpiredOrderOnceWithTheSweepingOneKilledMidRound()
      throws Exception {
    int seats = 2_000;
    String ownPrefix = TestRedis.uniquePrefix("grab-sweep");
    Map<String, String> settings = new LinkedHashMap<>(FAST);
    settings.put("railrush.order.payment-window", "3s");
    Map<String, String> webAndOrders = new LinkedHashMap<>(settings);
    webAndOrders.put("railrush.roles", "web,order");
    java.nio.file.Path logs = java.nio.file.Files.createTempDirectory("railrush-sweepers");
    List<io.railrush.kit.testing.ChildJvm> sweepers = new java.util.ArrayList<>();
    // a database of its own: the sweepers would otherwise start on the other tests' unpaid orders
    TestDatabases.Database own = TestDatabases.freshPostgres();
    try (ClusterNode web = ClusterNode.start(own, TestRedis.URL, ownPrefix, webAndOrders)) {
      String runId = newRun(web.api(), seats);
      awaitRunKnown(List.of(web.api()), runId);
      FlashSale sale =
          new FlashSale(List.of(web.api()), TestTokens.CLUSTER_SECRET, runId, "unpaid-")
              .run(seats, 2, 100, 0, null);
      JsonNode sold = sale.awaitSettled(web.api(), Duration.ofSeconds(90));
      long unpaid = sold.path("ordersByStatus").path("CREATED").asLong();
      assertThat(unpaid).as(sale.toString()).isGreaterThan(1_500);

      java.nio.file.Path[] appLogs = new java.nio.file.Path[2];
      for (int n = 1; n <= 2; n++) {
        Map<String, String> sweeper = new LinkedHashMap<>(settings);
        appLogs[n - 1] = logs.resolve("sweeper-" + n + ".app.log");
        sweeper.put("logging.file.name", appLogs[n - 1].toString());
        sweeper.put("logging.level.io.railrush.app.order.PaymentWindowSweeper", "INFO");
        sweepers.add(
            ClusterNode.startJvm(
                own,
                ownPrefix,
                "sweeper",
                sweeper,
                logs.resolve("sweeper-" + n + ".log"),
                false)); // both boot together; the first up sweeps
      }
      // the sweeping one logs each batch of 500 it cancelled: kill it after its first
      int[] sweeping = {-1};
      Awaitility.await()
          .atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofMillis(50))
          .until(
              () -> {
                for (int n = 0; n < 2; n++) {
                  if (java.nio.file.Files.exists(appLogs[n])
                      && java.nio.file.Files.readString(appLogs[n])
                          .contains("cancelled 500 orders")) {
                    sweeping[0] = n;
                    return true;
                  }
                }
                return false;
              });
      sweepers.get(sweeping[0]).kill();
      long cancelledAtKill = statusCount(own, runId, "CANCELLED");
      assertThat(cancelledAtKill).as("killed mid-round").isBetween(500L, unpaid - 1);

      Awaitility.await()
          .atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofMillis(500))
          .until(() -> statusCount(own, runId, "CANCELLED") == unpaid);
      JsonNode audit = sale.audit(web.api());
      assertThat(audit.path("sold").asInt()).isZero();
      assertThat(audit.path("ordersByStatus").path("CANCELLED").asLong()).isEqualTo(unpaid);
      assertThat(audit.path("ordersByStatus").path("CREATED").asLong()).isZero();
      for (java.nio.file.Path appLog : appLogs) {
        // the ledger's sold count is the database's, which no recount rewrites: a seat given back
        // twice is logged there (not absorbed at zero), whatever the seat store's recount heals
        assertThat(java.nio.file.Files.readString(appLog)).doesNotContain("INVARIANT BREACH");
      }
      SeatHolds store = web.bean(SeatHolds.class);
      Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () -> {
                assertThat(store.holders(runId)).isEmpty();
                assertThat(store.remaining(runId)).isEqualTo(seats); // each seat back once
              });
    } finally {
      for (io.railrush.kit.testing.ChildJvm sweeper : sweepers) {
        sweeper.close();
      }
      TestRabbit.deleteBus(ClusterNode.busName(ownPrefix));
    }
  }

  private static long statusCount(TestDatabases.Database db, String runId, String status)
      throws Exception {
    try (java.sql.Connection c = java.sql.DriverManager.getConnection(db.url(), db.username(), "");
        java.sql.PreparedStatement count =
            c.prepareStatement(
                "select count(*) from ticket_order where run_id = ? and status = ?")) {
      count.setString(1, runId);
      count.setString(2, status);
      try (java.sql.ResultSet rs = count.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private static void terminateSessionsOf(String role) {
    TestDatabases.endPostgresSessions(role);
  }

  private static void admin(String sql) {
    TestDatabases.postgresAdmin(sql);
  }
}
