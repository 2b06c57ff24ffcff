package io.railrush.app.promo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.railrush.app.testing.Api;
import io.railrush.app.testing.ClusterNode;
import io.railrush.app.testing.InParallel;
import io.railrush.app.testing.Payments;
import io.railrush.app.testing.TestDatabases;
import io.railrush.app.testing.TestRabbit;
import io.railrush.bench.payment.PaymentProviderSimulator;
import io.railrush.kit.testing.ChildJvm;
import io.railrush.kit.testing.TestRedis;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * The after-payment saga on a cluster: two nodes on a real database, events relayed through the
 * outbox to RabbitMQ with publisher confirms, the promo consumer on quorum queues with manual ack;
 * every event also published a second time on purpose; then the promo consumer SIGKILLed twice and
 * the broker's connections dropped. Audited from the database. Subclasses say which database.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
// the kill test runs last: its node's broker connections die in its wake, and Awaitility fails an
// await during which any thread throws
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class ClusterPromoContract {

  protected abstract TestDatabases.Database freshDatabase();

  private static final int ORDERS = 40;

  private final PaymentProviderSimulator provider =
      new PaymentProviderSimulator(ClusterNode.SIM_SECRET);
  private ClusterNode nodeA;
  private ClusterNode nodeB;

  @BeforeAll
  void startTwoNodes() {
    TestDatabases.Database db = freshDatabase();
    String prefix = TestRedis.uniquePrefix("promo");
    Map<String, String> settings =
        Map.of(
            "railrush.payment.query-after", "1h",
            "railrush.messaging.retry-base", "50ms",
            "railrush.messaging.max-attempts", "3");
    nodeA = ClusterNode.start(db, TestRedis.URL, prefix, settings);
    nodeB = ClusterNode.start(db, TestRedis.URL, prefix, settings);
  }

  @AfterAll
  void stop() {
    nodeA.close();
    nodeB.close();
    provider.close();
  }

  @Test
  @Order(1)
  void paidOrdersWithCouponsEachUseTheirCouponAndGrantOneDrawEvenWithEveryEventSentTwice() {
    List<String[]> paid = new ArrayList<>(); // userId, token, couponId, orderNo
    Payments payments = new Payments(nodeA.api());
    String runId = payments.newRun(ORDERS);
    // the other node learns of a new run at its next refresh of known ids
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> nodeB.api().get("/api/v1/runs/" + runId + "/stock").status() == 200);
    for (int i = 0; i < ORDERS; i++) {
      Api api = (i % 2 == 0 ? nodeA : nodeB).api();
      String userId = "saga-" + i + "-" + System.nanoTime() % 100_000;
      String token = api.login(userId);
      String couponId = api.issueCoupon(userId, 300);
      Api.Reply grab =
          api.post(
              "/api/v1/runs/" + runId + "/grabs", token, "{\"couponId\":\"" + couponId + "\"}");
      assertThat(grab.status()).as(grab.body()).isEqualTo(202);
      paid.add(new String[] {userId, token, couponId, grab.json().path("orderNo").asString()});
    }
    for (String[] p : paid) {
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> status(nodeA.api(), p[1], p[3]).equals("CREATED"));
      Api.Reply payment =
          nodeB.api().post("/api/v1/orders/" + p[3] + "/payments", p[1], "{\"provider\":\"sim\"}");
      assertThat(payment.status()).as(payment.body()).isEqualTo(201);
      assertThat(payment.json().path("amountCents").asLong()).isEqualTo(55_300 - 300);
      PaymentProviderSimulator.Delivery delivery =
          provider.deliver(
              URI.create(nodeA.api().uri("/api/v1/payments/notify/sim")),
              provider.pay(payment.json().path("outTradeNo").asString(), 55_000));
      assertThat(delivery.acknowledged()).isTrue();
    }
    JdbcClient db = nodeA.bean(JdbcClient.class);
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> count(db, "select count(*) from lottery_draw") == ORDERS);

    // every event once more, straight to the broker: the inbox absorbs each
    RabbitTemplate rabbit = nodeA.bean(RabbitTemplate.class);
    String exchange =
        nodeA
            .bean(org.springframework.core.env.Environment.class)
            .getProperty("railrush.messaging.exchange");
    List<Map<String, Object>> sent =
        db.sql("select message_id, message_type, payload from message_outbox").query().listOfRows();
    for (Map<String, Object> row : sent) {
      MessageProperties headers = new MessageProperties();
      headers.setMessageId((String) row.get("message_id"));
      headers.setType((String) row.get("message_type"));
      rabbit.send(
          exchange,
          (String) row.get("message_type"),
          new Message(((String) row.get("payload")).getBytes(StandardCharsets.UTF_8), headers));
    }
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                count(db, "select count(*) from promo_inbox")
                    == count(
                        db,
                        "select count(*) from message_outbox where message_type in"
                            + " ('PaymentSucceeded', 'OrderCancelled', 'OrderFailed')"));
    // each copy was recognised by the inbox (the effects alone would not show it: each is
    // idempotent by itself)
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                seenBefore(nodeA) + seenBefore(nodeB)
                    >= count(
                        db,
                        "select count(*) from message_outbox where message_type in"
                            + " ('PaymentSucceeded', 'OrderCancelled', 'OrderFailed')"));
    await()
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(5))
        .until(() -> count(db, "select count(*) from lottery_draw") == ORDERS);
    assertThat(count(db, "select count(*) from coupon where status = 'USED'")).isEqualTo(ORDERS);
    assertThat(count(db, "select count(distinct order_no) from coupon where status = 'USED'"))
        .isEqualTo(ORDERS);
    for (String[] p : paid) {
      assertThat(nodeB.api().get("/api/v1/me/lottery", p[1]).json().path("draws").asLong())
          .isEqualTo(1);
    }
    JsonNode audit = nodeB.api().get("/api/v1/admin/promo/audit", Api.ADMIN_TOKEN).json();
    assertThat(audit.path("consistent").asBoolean()).as(audit.toString()).isTrue();
    assertThat(audit.path("paidOrders").asLong()).isEqualTo(ORDERS);
    String metrics = nodeA.api().get("/actuator/prometheus").body();
    assertThat(metrics)
        .containsPattern(
            "railrush_messages_queued\\{[^}]*consumer=\"promo\"[^}]*state=\"ready\"\\} 0");
    assertThat(metrics).containsPattern("railrush_messages_queued\\{[^}]*state=\"retrying\"");
    assertThat(metrics)
        .containsPattern("railrush_messages_deliveries_total\\{[^}]*outcome=\"applied\"");
    assertThat(audit.path("couponsUsed").asLong()).isEqualTo(ORDERS);
    assertThat(audit.path("drawsGranted").asLong()).isEqualTo(ORDERS);
    assertThat(count(db, "select count(*) from message_outbox where published_at_ms is null"))
        .isZero();
  }

  @Test
  @Order(2)
  void aPoisonMessageIsRetriedThroughTheDelayQueueThenDeadLetteredAndReplayedOnceFixed() {
    JdbcClient db = nodeA.bean(JdbcClient.class);
    String orderNo = "O-poison-" + System.nanoTime() % 1_000_000;
    String missingCoupon = "Cmissing" + System.nanoTime() % 1_000_000;
    String poisonId = "PaymentSucceeded:T-" + orderNo;
    db.sql(
            "insert into message_outbox (message_id, message_type, payload, created_at_ms)"
                + " values (?, 'PaymentSucceeded', ?, ?)")
        .params(
            poisonId,
            "{\"orderNo\":\"%s\",\"userId\":\"poisoned\",\"couponId\":\"%s\"}"
                .formatted(orderNo, missingCoupon),
            System.currentTimeMillis())
        .update();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                count(
                        db,
                        "select count(*) from message_dead_letter where message_id = '"
                            + poisonId
                            + "'")
                    == 1);
    assertThat(
            db.sql("select attempts from message_dead_letter where message_id = ?")
                .param(poisonId)
                .query(Integer.class)
                .single())
        .isEqualTo(3);
    assertThat(count(db, "select count(*) from lottery_draw where order_no = '" + orderNo + "'"))
        .isZero();

    db.sql(
            "insert into coupon (coupon_id, user_id, amount_off_cents, status, issued_at_ms,"
                + " updated_at_ms) values (?, 'poisoned', 100, 'AVAILABLE', 0, 0)")
        .param(missingCoupon)
        .update();
    Api.Reply replayed =
        nodeB.api().post("/api/v1/admin/messages/dead/replay", Api.ADMIN_TOKEN, "{\"all\":true}");
    assertThat(replayed.status()).as(replayed.body()).isEqualTo(200);
    assertThat(replayed.json().path("replayed").asInt()).isEqualTo(1);
    assertThat(count(db, "select count(*) from lottery_draw where order_no = '" + orderNo + "'"))
        .isEqualTo(1);
    assertThat(count(db, "select count(*) from message_dead_letter")).isZero();
  }

  private static double seenBefore(ClusterNode node) {
    return node.bean(io.micrometer.core.instrument.MeterRegistry.class)
        .get("railrush.promo.inbox")
        .tag("decision", "seen_before")
        .counter()
        .count();
  }

  @Test
  @Order(3)
  void everyPaidOrderUsesItsCouponAndDrawsOnceWithThePromoConsumerKilledTwiceAndTheBrokerDropped()
      throws Exception {
    int orders = 500;
    TestDatabases.Database own = freshDatabase();
    String prefix = TestRedis.uniquePrefix("promo-kill");
    Map<String, String> noPromo =
        Map.of(
            "railrush.payment.query-after", "1h",
            "railrush.roles", "web,order,payment,sweeper");
    Map<String, String> promoSettings = Map.of("railrush.payment.query-after", "1h");
    Path logs = Files.createTempDirectory("railrush-promo-kill");
    List<ChildJvm> consumers = new ArrayList<>();
    try (ClusterNode web = ClusterNode.start(own, TestRedis.URL, prefix, noPromo)) {
      JdbcClient db = web.bean(JdbcClient.class);
      Api api = web.api();
      String runId = new Payments(api).newRun(orders);
      URI notify = URI.create(api.uri("/api/v1/payments/notify/sim"));
      InParallel.run(
          orders,
          i -> {
            String userId = "kill-" + i;
            String token = api.login(userId);
            String couponId = api.issueCoupon(userId, 200);
            Api.Reply grab =
                api.post(
                    "/api/v1/runs/" + runId + "/grabs",
                    token,
                    "{\"couponId\":\"" + couponId + "\"}");
            assertThat(grab.status()).as(grab.body()).isEqualTo(202);
            String orderNo = grab.json().path("orderNo").asString();
            await()
                .atMost(Duration.ofSeconds(60))
                .until(() -> status(api, token, orderNo).equals("CREATED"));
            Api.Reply payment =
                api.post(
                    "/api/v1/orders/" + orderNo + "/payments", token, "{\"provider\":\"sim\"}");
            String outTradeNo = payment.json().path("outTradeNo").asString();
            assertThat(provider.send(notify, provider.pay(outTradeNo, 55_300 - 200)))
                .isEqualTo(200);
            return orderNo;
          });
      // every PaymentSucceeded relayed to the broker while no promo consumer runs
      await()
          .atMost(Duration.ofSeconds(120))
          .until(
              () ->
                  count(
                          db,
                          "select count(*) from message_outbox where message_type ="
                              + " 'PaymentSucceeded' and published_at_ms is not null")
                      == orders);
      assertThat(count(db, "select count(*) from lottery_draw")).isZero();

      for (int kill = 1; kill <= 2; kill++) {
        // watched from its first instant: it drains hundreds of messages before its health is up
        ChildJvm consumer =
            ClusterNode.startJvm(
                own, prefix, "promo", promoSettings, logs.resolve("promo-" + kill + ".log"), false);
        consumers.add(consumer);
        long floor = kill * 50L + (kill - 1) * 50L;
        await()
            .atMost(Duration.ofSeconds(90))
            .pollInterval(Duration.ofMillis(10))
            .until(() -> count(db, "select count(*) from lottery_draw") >= floor);
        consumer.kill(); // SIGKILL mid-run: unacknowledged messages go back to the queue
      }
      assertThat(count(db, "select count(*) from lottery_draw")).isLessThan(orders);
      ChildJvm last =
          ClusterNode.startJvm(own, prefix, "promo", promoSettings, logs.resolve("promo-3.log"));
      consumers.add(last);
      TestRabbit.dropAllConnections(); // once more, from the broker's side
      await()
          .atMost(Duration.ofSeconds(120))
          .pollInterval(Duration.ofMillis(200))
          .until(() -> count(db, "select count(*) from lottery_draw") == orders);

      assertThat(count(db, "select count(*) from coupon where status = 'USED'")).isEqualTo(orders);
      assertThat(count(db, "select count(distinct order_no) from coupon where status = 'USED'"))
          .isEqualTo(orders);
      assertThat(count(db, "select count(*) from message_dead_letter")).isZero();
      JsonNode audit = api.get("/api/v1/admin/promo/audit", Api.ADMIN_TOKEN).json();
      assertThat(audit.path("consistent").asBoolean()).as(audit.toString()).isTrue();
      assertThat(audit.path("paidOrders").asLong()).isEqualTo(orders);
      assertThat(audit.path("drawsGranted").asLong()).isEqualTo(orders);
    } finally {
      for (ChildJvm consumer : consumers) {
        consumer.close();
      }
    }
  }

  private static String status(Api api, String token, String orderNo) {
    return api.get("/api/v1/orders/" + orderNo, token).json().path("status").asString();
  }

  private static long count(JdbcClient db, String sql) {
    return db.sql(sql).query(Long.class).single();
  }
}
