package io.railrush.app.promo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.railrush.app.messaging.Message;
import io.railrush.app.testing.Api;
import io.railrush.app.testing.Payments;
import io.railrush.bench.payment.PaymentProviderSimulator;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/**
 * Coupons and lottery draws in embedded mode (H2, the outbox delivered in-process): a coupon named
 * by a grab is reserved, used once its order is paid, given back when the order ends unpaid; each
 * paid order grants one draw; a message that keeps failing is dead-lettered and replayed once
 * fixed.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "spring.datasource.url=jdbc:h2:mem:promo;DB_CLOSE_DELAY=-1",
      "railrush.messaging.retry-base=50ms",
      "railrush.messaging.max-attempts=3"
    })
@ActiveProfiles("embedded")
class EmbeddedPromoTest {

  static final PaymentProviderSimulator provider = new PaymentProviderSimulator("dev-sim-secret");
  static final AtomicInteger users = new AtomicInteger();

  @AfterAll
  static void stopSimulator() {
    provider.close();
  }

  @LocalServerPort int port;
  @Autowired JdbcClient jdbc;
  @Autowired Coupons coupons;
  @Autowired PromoEvents promoEvents;
  @Autowired TransactionTemplate transactions;
  @Autowired MeterRegistry meters;
  Api api;
  Payments payments;

  @BeforeEach
  void connect() {
    api = new Api(port);
    payments = new Payments(api);
  }

  record Buyer(String userId, String token) {}

  Buyer buyer() {
    String userId = "promo-" + users.incrementAndGet() + "-" + System.nanoTime() % 100_000;
    return new Buyer(userId, api.login(userId));
  }

  Api.Reply grab(Buyer buyer, String runId, String couponId) {
    return api.post(
        "/api/v1/runs/" + runId + "/grabs",
        buyer.token(),
        couponId == null ? "" : "{\"couponId\":\"" + couponId + "\"}");
  }

  String couponStatus(Buyer buyer, String couponId) {
    for (JsonNode coupon : api.get("/api/v1/me/coupons", buyer.token()).json().path("coupons")) {
      if (coupon.path("couponId").asString().equals(couponId)) {
        return coupon.path("status").asString();
      }
    }
    return "absent";
  }

  long draws(Buyer buyer) {
    return api.get("/api/v1/me/lottery", buyer.token()).json().path("draws").asLong();
  }

  JsonNode awaitOrder(Buyer buyer, String orderNo, String status) {
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                status.equals(
                    api.get("/api/v1/orders/" + orderNo, buyer.token())
                        .json()
                        .path("status")
                        .asString()));
    return api.get("/api/v1/orders/" + orderNo, buyer.token()).json();
  }

  @Test
  void aCouponComesOffTheFareIsUsedWhenItsOrderIsPaidAndThePaidOrderGrantsOneDraw() {
    Buyer buyer = buyer();
    String couponId = api.issueCoupon(buyer.userId(), 1_000);
    assertThat(couponStatus(buyer, couponId)).isEqualTo("AVAILABLE");

    Api.Reply grab = grab(buyer, payments.newRun(5), couponId);
    assertThat(grab.status()).as(grab.body()).isEqualTo(202);
    String orderNo = grab.json().path("orderNo").asString();
    JsonNode order = awaitOrder(buyer, orderNo, "CREATED");
    assertThat(order.path("amountCents").asLong()).isEqualTo(55_300 - 1_000);
    assertThat(order.path("couponId").asString()).isEqualTo(couponId);
    assertThat(couponStatus(buyer, couponId)).isEqualTo("RESERVED");

    Api.Reply payment =
        api.post(
            "/api/v1/orders/" + orderNo + "/payments", buyer.token(), "{\"provider\":\"sim\"}");
    assertThat(payment.status()).as(payment.body()).isEqualTo(201);
    assertThat(payment.json().path("amountCents").asLong()).isEqualTo(54_300);
    PaymentProviderSimulator.Delivery delivery =
        provider.deliver(
            URI.create(api.uri("/api/v1/payments/notify/sim")),
            provider.pay(payment.json().path("outTradeNo").asString(), 54_300));
    assertThat(delivery.acknowledged()).isTrue();

    awaitOrder(buyer, orderNo, "PAID");
    await().atMost(Duration.ofSeconds(10)).until(() -> draws(buyer) == 1);
    assertThat(couponStatus(buyer, couponId)).isEqualTo("USED");
    JsonNode audit = api.get("/api/v1/admin/promo/audit", Api.ADMIN_TOKEN).json();
    assertThat(audit.path("consistent").asBoolean()).as(audit.toString()).isTrue();
    // every fact of the way went through the outbox, and was relayed
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(
                        jdbc.sql(
                                "select message_id from message_outbox where message_id in (?, ?)"
                                    + " and published_at_ms is not null")
                            .params(
                                "CouponReserved:" + couponId + ":" + orderNo,
                                "PaymentSucceeded:" + payment.json().path("outTradeNo").asString())
                            .query(String.class)
                            .list())
                    .hasSize(2));
  }

  @Test
  void anUnknownOrForeignCouponIs404AndUsesNeitherTheSeatNorTheUsersAttempt() {
    Buyer owner = buyer();
    Buyer other = buyer();
    String couponId = api.issueCoupon(owner.userId(), 500);
    String runId = payments.newRun(3);

    Api.Reply unknown = grab(other, runId, "Cnope");
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.contentType()).isEqualTo("application/problem+json");
    Api.Reply foreign = grab(other, runId, couponId);
    assertThat(foreign.status()).isEqualTo(404);
    assertThat(payments.sold(runId)).isZero();
    assertThat(couponStatus(owner, couponId)).isEqualTo("AVAILABLE");
    // the refused grabs did not spend the attempt: a grab at once is accepted, not 429
    assertThat(grab(other, runId, null).status()).isEqualTo(202);
  }

  @Test
  void aCouponHeldByOneOrderIs409ForAnotherGrabAndTheCancelledOrderGivesItBack() {
    Buyer buyer = buyer();
    String couponId = api.issueCoupon(buyer.userId(), 700);
    String firstRun = payments.newRun(3);
    String secondRun = payments.newRun(3);
    Api.Reply first = grab(buyer, firstRun, couponId);
    assertThat(first.status()).as(first.body()).isEqualTo(202);
    String orderNo = first.json().path("orderNo").asString();
    awaitOrder(buyer, orderNo, "CREATED");

    Api.Reply second = grab(buyer, secondRun, couponId);
    assertThat(second.status()).isEqualTo(409);
    assertThat(second.code()).isEqualTo("CONFLICT");
    assertThat(payments.sold(secondRun)).isZero();

    Api.Reply cancelled = api.post("/api/v1/orders/" + orderNo + "/cancel", buyer.token(), "");
    assertThat(cancelled.status()).as(cancelled.body()).isEqualTo(200);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> couponStatus(buyer, couponId).equals("AVAILABLE"));
    assertThat(draws(buyer)).isZero();
  }

  @Test
  void concurrentGrabsNamingOneCouponReserveItForExactlyOneOrder() throws Exception {
    Buyer buyer = buyer();
    String couponId = api.issueCoupon(buyer.userId(), 100);
    List<Future<Boolean>> reservations = new ArrayList<>();
    try (ExecutorService threads = Executors.newFixedThreadPool(16)) {
      for (int i = 0; i < 32; i++) {
        String orderNo = "O-race-" + i;
        reservations.add(threads.submit(() -> coupons.reserve(couponId, buyer.userId(), orderNo)));
      }
    }
    int won = 0;
    for (Future<Boolean> reservation : reservations) {
      won += reservation.get() ? 1 : 0;
    }
    assertThat(won).isEqualTo(1);
    assertThat(couponStatus(buyer, couponId)).isEqualTo("RESERVED");
  }

  @Test
  void aMessageDeliveredTwiceHasOneEffect() {
    Buyer buyer = buyer();
    String couponId = api.issueCoupon(buyer.userId(), 100);
    String orderNo = "O-twice-" + System.nanoTime() % 1_000_000;
    Message paid =
        new Message(
            "PaymentSucceeded:T-twice-" + orderNo,
            "PaymentSucceeded",
            "{\"orderNo\":\"%s\",\"userId\":\"%s\",\"couponId\":\"%s\",\"outTradeNo\":\"x\"}"
                .formatted(orderNo, buyer.userId(), couponId),
            1);
    double firstBefore = inboxDecisions("first");
    double seenBefore = inboxDecisions("seen_before");
    for (int delivery = 0; delivery < 2; delivery++) {
      transactions.executeWithoutResult(tx -> promoEvents.handle(paid));
    }
    // the effects below would be the same without the inbox (each is idempotent by itself): its
    // decision is what shows the second delivery was recognised, not applied again
    assertThat(inboxDecisions("first") - firstBefore).isEqualTo(1);
    assertThat(inboxDecisions("seen_before") - seenBefore).isEqualTo(1);
    assertThat(draws(buyer)).isEqualTo(1);
    assertThat(couponStatus(buyer, couponId)).isEqualTo("USED");
    assertThat(
            jdbc.sql("select count(*) from promo_inbox where message_id = ?")
                .param(paid.id())
                .query(Long.class)
                .single())
        .isEqualTo(1);
  }

  private double inboxDecisions(String decision) {
    return meters.get("railrush.promo.inbox").tag("decision", decision).counter().count();
  }

  @Test
  void aPoisonMessageIsRetriedThenDeadLetteredWhileOthersFlowAndIsAppliedOnceWhenReplayed() {
    Buyer buyer = buyer();
    String orderNo = "O-poison-" + System.nanoTime() % 1_000_000;
    String missingCoupon = "Cmissing" + System.nanoTime() % 1_000_000;
    String poisonId = "PaymentSucceeded:T-" + orderNo;
    transactions.executeWithoutResult(
        tx ->
            outbox(
                poisonId,
                "{\"orderNo\":\"%s\",\"userId\":\"%s\",\"couponId\":\"%s\"}"
                    .formatted(orderNo, buyer.userId(), missingCoupon)));

    await().atMost(Duration.ofSeconds(15)).until(() -> deadLetter(poisonId) != null);
    JsonNode promoQueue = null;
    for (JsonNode queue :
        api.get("/api/v1/admin/messages", Api.ADMIN_TOKEN).json().path("queues")) {
      if (queue.path("queue").asString().equals("promo")) {
        promoQueue = queue;
      }
    }
    assertThat(promoQueue).as("the promo consumer's queue in the overview").isNotNull();
    assertThat(promoQueue.path("dead").asLong()).isPositive();
    for (String field : List.of("ready", "inFlight", "retrying", "done")) {
      assertThat(promoQueue.path(field).isNumber()).as(field).isTrue();
    }
    JsonNode dead = deadLetter(poisonId);
    assertThat(dead.path("consumer").asString()).isEqualTo("promo");
    assertThat(dead.path("attempts").asInt()).isEqualTo(3);
    assertThat(dead.path("lastError").asString()).contains(missingCoupon);
    assertThat(draws(buyer)).isZero();

    // other messages keep flowing
    String fineOrder = "O-fine-" + System.nanoTime() % 1_000_000;
    transactions.executeWithoutResult(
        tx ->
            outbox(
                "PaymentSucceeded:T-" + fineOrder,
                "{\"orderNo\":\"%s\",\"userId\":\"%s\",\"couponId\":null}"
                    .formatted(fineOrder, buyer.userId())));
    await().atMost(Duration.ofSeconds(10)).until(() -> draws(buyer) == 1);

    // fixed: the coupon the payment named exists after all
    jdbc.sql(
            "insert into coupon (coupon_id, user_id, amount_off_cents, status, issued_at_ms,"
                + " updated_at_ms) values (?, ?, 100, 'AVAILABLE', 0, 0)")
        .params(missingCoupon, buyer.userId())
        .update();
    assertThat(dead.path("id").asString()).isEqualTo("promo:" + poisonId);
    String replayOne = "{\"ids\":[\"promo:" + poisonId + "\"]}";
    Api.Reply replayed = api.post("/api/v1/admin/messages/dead/replay", Api.ADMIN_TOKEN, replayOne);
    assertThat(replayed.status()).as(replayed.body()).isEqualTo(200);
    assertThat(replayed.json().path("replayed").asInt()).isEqualTo(1);
    assertThat(draws(buyer)).isEqualTo(2);
    assertThat(couponStatus(buyer, missingCoupon)).isEqualTo("USED");
    assertThat(deadLetter(poisonId)).isNull();
    Api.Reply again = api.post("/api/v1/admin/messages/dead/replay", Api.ADMIN_TOKEN, replayOne);
    assertThat(again.status()).isEqualTo(200);
    assertThat(again.json().path("replayed").asInt()).isZero();
    assertThat(again.json().path("unknown").get(0).asString()).isEqualTo("promo:" + poisonId);
    assertThat(draws(buyer)).isEqualTo(2);
  }

  @Test
  void messageStatesAreExportedAsMetrics() {
    String metrics = api.get("/actuator/prometheus").body();
    for (String state : List.of("ready", "in_flight", "retrying", "done")) {
      assertThat(metrics)
          .contains("railrush_messages_outbox{application=\"railrush\",state=\"" + state + "\"}");
    }
    assertThat(metrics).contains("railrush_messages_dead{");
    assertThat(metrics)
        .contains("railrush_messages_in_flight{application=\"railrush\",consumer=\"promo\"}");
  }

  @Test
  void aReplayRequestThatDoesNotSayWhichIs400AndReplaysNothing() {
    long dead =
        api.get("/api/v1/admin/messages/dead", Api.ADMIN_TOKEN).json().path("dead").asLong();
    for (String body :
        List.of(
            "",
            "{}",
            "{\"all\":false}",
            "{\"ids\":[]}",
            "{\"ids\":[\"promo:x\"],\"all\":true}",
            "{\"ids\":\"promo:x\"}",
            "[]")) {
      Api.Reply reply = api.post("/api/v1/admin/messages/dead/replay", Api.ADMIN_TOKEN, body);
      assertThat(reply.status()).as(body + " → " + reply.body()).isEqualTo(400);
      assertThat(reply.contentType()).startsWith("application/problem+json");
    }
    assertThat(api.get("/api/v1/admin/messages/dead", Api.ADMIN_TOKEN).json().path("dead").asLong())
        .isEqualTo(dead);
  }

  @Test
  void messagesAndDeadLettersNeedTheAdminToken() {
    assertThat(api.get("/api/v1/admin/messages").status()).isEqualTo(401);
    assertThat(api.get("/api/v1/admin/messages", buyer().token()).status()).isIn(401, 403);
    assertThat(
            api.post("/api/v1/admin/messages/dead/replay", buyer().token(), "{\"all\":true}")
                .status())
        .isIn(401, 403);
    assertThat(api.get("/api/v1/admin/messages/dead", buyer().token()).status()).isIn(401, 403);
    assertThat(api.get("/api/v1/admin/messages", Api.ADMIN_TOKEN).status()).isEqualTo(200);
  }

  @Test
  void aBadCouponIssueIs400AndIssuesNothing() {
    long before = jdbc.sql("select count(*) from coupon").query(Long.class).single();
    for (String body :
        List.of(
            "{\"userId\":\"a b\",\"amountOffCents\":100}",
            "{\"userId\":\"ann\",\"amountOffCents\":0}",
            "{\"userId\":\"ann\",\"amountOffCents\":1e10}",
            "{\"userId\":\"ann\"}",
            "{\"amountOffCents\":100}",
            "not json")) {
      Api.Reply reply = api.post("/api/v1/admin/coupons", Api.ADMIN_TOKEN, body);
      assertThat(reply.status()).as(body + " → " + reply.body()).isEqualTo(400);
    }
    assertThat(jdbc.sql("select count(*) from coupon").query(Long.class).single())
        .isEqualTo(before);
    assertThat(
            api.post(
                    "/api/v1/admin/coupons",
                    buyer().token(),
                    "{\"userId\":\"ann\",\"amountOffCents\":1}")
                .status())
        .isIn(401, 403);
  }

  private void outbox(String messageId, String payload) {
    jdbc.sql(
            "insert into message_outbox (message_id, message_type, payload, created_at_ms)"
                + " values (?, 'PaymentSucceeded', ?, ?)")
        .params(messageId, payload, System.currentTimeMillis())
        .update();
  }

  private JsonNode deadLetter(String messageId) {
    for (JsonNode dead :
        api.get("/api/v1/admin/messages/dead", Api.ADMIN_TOKEN).json().path("deadLetters")) {
      if (dead.path("messageId").asString().equals(messageId)) {
        return dead;
      }
    }
    return null;
  }
}
