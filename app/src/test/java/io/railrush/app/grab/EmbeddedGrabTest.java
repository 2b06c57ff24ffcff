package io.railrush.app.grab;

import static org.assertj.core.api.Assertions.assertThat;

import io.railrush.app.testing.Api;
import io.railrush.app.testing.EmbeddedApiTest;
import io.railrush.app.testing.FlashSale;
import io.railrush.app.testing.TestTokens;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/** The grab flow in embedded mode: one JVM, H2, the outbox as the bus, in-process stock. */
@EmbeddedApiTest
class EmbeddedGrabTest {

  private static final AtomicInteger trains = new AtomicInteger(7000);

  @LocalServerPort int port;
  @Autowired JdbcClient jdbc;
  @Autowired io.railrush.kit.id.OrderNumberGenerator orderNumbers;
  Api api;

  @BeforeEach
  void connect() {
    api = new Api(port);
  }

  static String newRun(Api api, int seats, String saleOpensAt) {
    String date = LocalDate.now(ZoneId.of("Asia/Shanghai")).plusDays(5).toString();
    String body =
        """
        {"trainNo":"G%d","departureDate":"%s","origin":"北京南","destination":"上海虹桥","departureTime":"08:00","seats":%d,"priceCents":55300%s}
        """
            .formatted(
                trains.incrementAndGet(),
                date,
                seats,
                saleOpensAt == null ? "" : ",\"saleOpensAt\":\"" + saleOpensAt + "\"");
    Api.Reply reply = api.post("/api/v1/admin/runs", Api.ADMIN_TOKEN, body);
    assertThat(reply.status()).as(reply.body()).isEqualTo(201);
    return reply.json().path("runId").asString();
  }

  static Map<String, String> ordersOf(JdbcClient jdbc, String runId) {
    Map<String, String> statuses = new HashMap<>();
    jdbc.sql("select order_no, status from ticket_order where run_id = ?")
        .param(runId)
        .query(
            (java.sql.ResultSet rs) -> {
              statuses.put(rs.getString(1), rs.getString(2));
            });
    return statuses;
  }

  private String token(String user) {
    return TestTokens.valid(TestTokens.EMBEDDED_SECRET, user);
  }

  @Test
  void twoHundredSeatsFiveThousandUsersThreeAttemptsEachSellExactlyTwoHundred() throws Exception {
    String runId = newRun(api, 200, null);
    FlashSale sale =
        new FlashSale(List.of(api), TestTokens.EMBEDDED_SECRET, runId, "fan-")
            .readingEveryLocation()
            .run(5_000, 3, 200, 0, null);
    JsonNode audit = sale.awaitSettled(api, Duration.ofSeconds(60));
    assertThat(sale.accepted).as(sale.toString()).hasSize(200);
    assertThat(audit.path("ordersByStatus").path("CREATED").asLong()).isEqualTo(200);
    assertThat(audit.path("sold").asLong()).isEqualTo(200);
    sale.assertInvariants(audit, ordersOf(jdbc, runId), 200);
    String metrics = api.get("/actuator/prometheus").body();
    assertThat(metrics)
        .contains("railrush_grabs_total{application=\"railrush\",outcome=\"accepted\"}")
        .contains("outcome=\"sold_out\"")
        .contains("outcome=\"rate_limited\"");
  }

  @Test
  void oneUserFiringAHundredGrabsAtOnceGetsOneThroughAndRetryAfterOnTheRest() throws Exception {
    String runId = newRun(api, 100, null);
    String token = token("eager");
    ConcurrentLinkedQueue<Api.Reply> replies = new ConcurrentLinkedQueue<>();
    CountDownLatch start = new CountDownLatch(1);
    try (ExecutorService pool = Executors.newFixedThreadPool(50)) {
      List<Future<?>> all = new java.util.ArrayList<>();
      for (int i = 0; i < 100; i++) {
        all.add(
            pool.submit(
                () -> {
                  start.await();
                  replies.add(api.post("/api/v1/runs/" + runId + "/grabs", token, ""));
                  return null;
                }));
      }
      start.countDown();
      for (Future<?> f : all) {
        f.get();
      }
    }
    assertThat(replies).filteredOn(r -> r.status() == 202).hasSize(1);
    assertThat(replies)
        .filteredOn(r -> r.status() == 429)
        .hasSize(99)
        .allSatisfy(
            r -> {
              assertThat(r.code()).isEqualTo("RATE_LIMITED");
              assertThat(
                      Integer.parseInt(r.raw().headers().firstValue("Retry-After").orElseThrow()))
                  .isBetween(1, 5);
            });
  }

  @Test
  void aGrabIsAcceptedThenWrittenAndTheHolderIsToldSo() {
    String runId = newRun(api, 5, null);
    String token = token("holder");
    Api.Reply first = api.post("/api/v1/runs/" + runId + "/grabs", token, "");
    assertThat(first.status()).isEqualTo(202);
    String orderNo = first.json().path("orderNo").asString();
    assertThat(first.json().path("status").asString()).isEqualTo("PENDING");
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                api.get("/api/v1/orders/" + orderNo, token)
                    .json()
                    .path("status")
                    .asString()
                    .equals("CREATED"));
    JsonNode order = api.get("/api/v1/orders/" + orderNo, token).json();
    assertThat(order.path("runId").asString()).isEqualTo(runId);
    assertThat(order.path("userId").asString()).isEqualTo("holder");
    assertThat(order.path("amountCents").asLong()).isEqualTo(55300);
    assertThat(api.get("/api/v1/orders", token).json().path("orders")).hasSize(1);
    // someone else's order is as unknown as a missing one; the admin sees every order
    assertThat(api.get("/api/v1/orders/" + orderNo, token("stranger")).status()).isEqualTo(404);
    assertThat(
            api.get("/api/v1/orders/" + orderNo, Api.ADMIN_TOKEN).json().path("userId").asString())
        .isEqualTo("holder");
  }

  @Test
  void aUserHoldingASeatIsToldWhichOrderHoldsIt() throws Exception {
    String runId = newRun(api, 5, null);
    String token = token("twice");
    String orderNo =
        api.post("/api/v1/runs/" + runId + "/grabs", token, "").json().path("orderNo").asString();
    Thread.sleep(5_100); // past the one-attempt-per-window limit
    Api.Reply again = api.post("/api/v1/runs/" + runId + "/grabs", token, "");
    assertThat(again.status()).isEqualTo(409);
    assertThat(again.code()).isEqualTo("ALREADY_HOLDING");
    assertThat(again.json().path("orderNo").asString()).isEqualTo(orderNo);
  }

  @Test
  void theSameIdempotencyKeyGetsTheFirstAnswer() {
    String runId = newRun(api, 5, null);
    String token = token("retrier");
    Api.Reply first = grabWithKey(runId, token, "key-1");
    Api.Reply retry = grabWithKey(runId, token, "key-1");
    assertThat(first.status()).isEqualTo(202);
    assertThat(retry.status()).isEqualTo(202);
    assertThat(retry.json().path("orderNo").asString())
        .isEqualTo(first.json().path("orderNo").asString());
    assertThat(retry.raw().headers().firstValue("Location"))
        .isEqualTo(first.raw().headers().firstValue("Location"));
    // a new key is a new attempt (limited: one per window); another user's same key is theirs
    assertThat(grabWithKey(runId, token, "key-2").status()).isEqualTo(429);
    assertThat(grabWithKey(runId, token("other"), "key-1").status()).isEqualTo(202);
    assertThat(ordersOf(jdbc, runId).size() + pendingIn(runId)).isLessThanOrEqualTo(2);
  }

  private long pendingIn(String runId) {
    return jdbc.sql("select count(*) from grab_outbox where payload like ?")
        .param("%" + runId + "%")
        .query(Long.class)
        .single();
  }

  private Api.Reply grabWithKey(String runId, String token, String key) {
    return api.send(
        HttpRequest.newBuilder(URI.create(api.uri("/api/v1/runs/" + runId + "/grabs")))
            .header("Authorization", "Bearer " + token)
            .header("Idempotency-Key", key)
            .POST(HttpRequest.BodyPublishers.noBody()));
  }

  @Test
  void aRunNotYetOnSaleRefusesGrabs() {
    String runId = newRun(api, 5, "2099-01-01T08:00:00+08:00");
    Api.Reply reply = api.post("/api/v1/runs/" + runId + "/grabs", token("early"), "");
    assertThat(reply.status()).isEqualTo(409);
    assertThat(reply.code()).isEqualTo("NOT_ON_SALE");
    assertThat(ordersOf(jdbc, runId)).isEmpty();
  }

  @Test
  void aCancelledOrderGivesItsSeatBack() {
    String runId = newRun(api, 1, null);
    String token = token("changed-mind");
    String orderNo =
        api.post("/api/v1/runs/" + runId + "/grabs", token, "").json().path("orderNo").asString();
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> "CREATED".equals(ordersOf(jdbc, runId).get(orderNo)));
    assertThat(api.post("/api/v1/runs/" + runId + "/grabs", token("waiting"), "").code())
        .isEqualTo("SOLD_OUT");
    assertThat(api.post("/api/v1/orders/" + orderNo + "/cancel", token("stranger"), "").status())
        .isEqualTo(404);
    Api.Reply cancelled = api.post("/api/v1/orders/" + orderNo + "/cancel", token, "");
    assertThat(cancelled.status()).isEqualTo(200);
    assertThat(cancelled.json().path("status").asString()).isEqualTo("CANCELLED");
    assertThat(api.post("/api/v1/orders/" + orderNo + "/cancel", token, "").status())
        .isEqualTo(200); // idempotent
    assertThat(
            api.get("/api/v1/admin/runs/" + runId + "/audit", Api.ADMIN_TOKEN)
                .json()
                .path("sold")
                .asInt())
        .isZero();
    Awaitility.await()
        .atMost(Duration.ofSeconds(5)) // past the node's sold-out memory
        .until(
            () ->
                api.post(
                            "/api/v1/runs/" + runId + "/grabs",
                            token("next-in-line-" + System.nanoTime()),
                            "")
                        .status()
                    == 202);
  }

  @Test
  void aDeadLetteredGrabIsWrittenOnceReplayedAndReplayNeedsTheAdmin() {
    String runId = newRun(api, 5, null);
    String orderNo = orderNumbers.next();
    String payload =
        "{\"orderNo\":\"%s\",\"runId\":\"%s\",\"userId\":\"revived\",\"amountCents\":55300,\"couponId\":null,\"acceptedAtMs\":%d}"
            .formatted(orderNo, runId, System.currentTimeMillis());
    jdbc.sql(
            "insert into grab_outbox (order_no, payload, accepted_at_ms, attempts) values (?, ?, ?, 20)")
        .params(orderNo, payload, System.currentTimeMillis())
        .update();
    assertThat(api.get("/api/v1/admin/grabs/dead", Api.ADMIN_TOKEN).json().path("dead").asLong())
        .isEqualTo(1);
    assertThat(api.post("/api/v1/admin/grabs/dead/replay", token("revived"), "").status())
        .isIn(401, 403);
    assertThat(ordersOf(jdbc, runId)).isEmpty();

    Api.Reply replayed = api.post("/api/v1/admin/grabs/dead/replay", Api.ADMIN_TOKEN, "");
    assertThat(replayed.status()).as(replayed.body()).isEqualTo(200);
    assertThat(replayed.json().path("replayed").asInt()).isEqualTo(1);
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> "CREATED".equals(ordersOf(jdbc, runId).get(orderNo)));
    assertThat(api.get("/api/v1/admin/grabs/dead", Api.ADMIN_TOKEN).json().path("dead").asLong())
        .isZero();
  }
}
