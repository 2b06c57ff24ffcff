package io.railrush.app.grab;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.railrush.app.order.OrderIntake;
import io.railrush.app.order.OrderRequest;
import io.railrush.app.testing.Api;
import io.railrush.app.testing.TestTokens;
import io.railrush.kit.id.OrderNumberGenerator;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;

/**
 * What a grab answers when its own outcome, or an earlier one, is not settled: a 503 BUSY leaves
 * the user's one-attempt window unspent, and ALREADY_HOLDING only ever names an order that exists
 * or is confirmed on its way. No order writer runs here (roles web and sweeper), so accepted grabs
 * stay in the outbox and the backlog is whatever the test makes it.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "spring.datasource.url=jdbc:h2:mem:railrush-answers;DB_CLOSE_DELAY=-1",
      "railrush.roles=web,sweeper",
      "railrush.grab.backlog-limit=0",
      "railrush.grab.backlog-sample-every=1h",
      "railrush.grab.reconcile-every=1h"
    })
@ActiveProfiles("embedded")
class GrabAnswersInDoubtTest {

  @LocalServerPort int port;
  @Autowired JdbcClient jdbc;
  @Autowired PipelineBacklog backlog;
  @Autowired SeatHolds seats;
  @Autowired OrderNumberGenerator orderNumbers;
  @Autowired OrderIntake intake;
  @Autowired MeterRegistry meters;
  Api api;

  @BeforeEach
  void emptyPipeline() {
    api = new Api(port);
    jdbc.sql("delete from grab_outbox").update();
    backlog.sample();
  }

  private Api.Reply grab(String runId, String user) {
    return api.post(
        "/api/v1/runs/" + runId + "/grabs", TestTokens.valid(TestTokens.EMBEDDED_SECRET, user), "");
  }

  private Api.Reply grab(String runId, String user, String idempotencyKey) {
    return api.send(
        HttpRequest.newBuilder(URI.create(api.uri("/api/v1/runs/" + runId + "/grabs")))
            .header("Authorization", "Bearer " + TestTokens.valid(TestTokens.EMBEDDED_SECRET, user))
            .header("Idempotency-Key", idempotencyKey)
            .POST(HttpRequest.BodyPublishers.noBody()));
  }

  @Test
  void aBusyAnswerLeavesTheWindowSoTheRetryItInvitesIsServed() {
    String runId = EmbeddedGrabTest.newRun(api, 10, null);
    assertThat(grab(runId, "first").status()).isEqualTo(202);
    backlog.sample(); // one accepted grab waits for the writer: over the limit of 0

    Api.Reply shed = grab(runId, "second");
    assertThat(shed.status()).isEqualTo(503);
    assertThat(shed.code()).isEqualTo("BUSY");
    assertThat(shed.raw().headers().firstValue("Retry-After")).hasValue("1");

    jdbc.sql("delete from grab_outbox").update(); // the writer caught up
    backlog.sample();
    Api.Reply retry = grab(runId, "second");
    assertThat(retry.status()).as(retry.body()).isEqualTo(202);
  }

  @Test
  void aHoldWhoseOrderIsInDoubtIsBusyNotAlreadyHoldingAndIsNotKeptForTheIdempotencyKey() {
    String runId = EmbeddedGrabTest.newRun(api, 10, null);
    // a node reserved this seat for "ghost" and died before the hand-over: no message, no order
    String lostOrderNo = orderNumbers.next();
    assertThat(seats.reserve(runId, "ghost", lostOrderNo).outcome())
        .isEqualTo(io.railrush.kit.stock.ReserveResult.Outcome.RESERVED);

    Api.Reply inDoubt = grab(runId, "ghost", "ghost-try-1");
    assertThat(inDoubt.status()).as(inDoubt.body()).isEqualTo(503);
    assertThat(inDoubt.code()).isEqualTo("BUSY");
    assertThat(inDoubt.body()).doesNotContain(lostOrderNo);
    // BUSY spent no window: asking again at once is BUSY again, not RATE_LIMITED
    assertThat(grab(runId, "ghost").code()).isEqualTo("BUSY");

    // the reconciler returns the lost reservation; the same key now gets a real answer
    assertThat(seats.release(runId, "ghost", lostOrderNo)).isTrue();
    Api.Reply accepted = grab(runId, "ghost", "ghost-try-1");
    assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
    String orderNo = accepted.json().path("orderNo").asString();
    assertThat(grab(runId, "ghost", "ghost-try-1").json().path("orderNo").asString())
        .isEqualTo(orderNo);

    assertThat(api.get("/api/v1/orders/" + orderNo, token("ghost")).status()).isEqualTo(200);
  }

  @Test
  void alreadyHoldingNamesTheConfirmedOrderAndItsLocationIsReadable() throws Exception {
    String runId = EmbeddedGrabTest.newRun(api, 10, null);
    Api.Reply accepted = grab(runId, "holder");
    assertThat(accepted.status()).isEqualTo(202);
    String orderNo = accepted.json().path("orderNo").asString();
    Api.Reply pending = api.get("/api/v1/orders/" + orderNo, token("holder"));
    assertThat(pending.status()).isEqualTo(200);
    assertThat(pending.json().path("status").asString()).isEqualTo("PENDING");

    jdbc.sql("delete from grab_outbox").update(); // keep the backlog under its limit of 0
    backlog.sample();
    Thread.sleep(5_100); // the user's one-attempt window (5 s) ends
    Api.Reply again = grab(runId, "holder");
    assertThat(again.status()).as(again.body()).isEqualTo(409);
    assertThat(again.code()).isEqualTo("ALREADY_HOLDING");
    assertThat(again.json().path("orderNo").asString()).isEqualTo(orderNo);
  }

  @Test
  void anOrderNumberAlreadyAnotherUsersIsACollisionNotARedelivery() {
    String runId = EmbeddedGrabTest.newRun(api, 10, null);
    // two issuers shared a worker id: the same number reached two users
    String shared = orderNumbers.next();
    assertThat(seats.reserve(runId, "alice", shared).outcome())
        .isEqualTo(io.railrush.kit.stock.ReserveResult.Outcome.RESERVED);
    assertThat(seats.reserve(runId, "bob", shared).outcome())
        .isEqualTo(io.railrush.kit.stock.ReserveResult.Outcome.RESERVED);
    double before = meters.get("railrush.orders.number.collisions").counter().count();
    long now = System.currentTimeMillis();

    intake.write(List.of(new OrderRequest(shared, runId, "alice", 55300, null, now)));
    intake.write(List.of(new OrderRequest(shared, runId, "alice", 55300, null, now))); // redelivery
    assertThat(meters.get("railrush.orders.number.collisions").counter().count()).isEqualTo(before);
    intake.write(List.of(new OrderRequest(shared, runId, "bob", 55300, null, now)));

    assertThat(meters.get("railrush.orders.number.collisions").counter().count())
        .isEqualTo(before + 1);
    assertThat(seats.holders(runId)).containsEntry("alice", shared).doesNotContainKey("bob");
    assertThat(api.get("/api/v1/orders/" + shared, token("alice")).json().path("status").asString())
        .isEqualTo("CREATED");
  }

  /**
   * Grabs sent straight to the writer, as if Redis had admitted more than the run has left (a
   * re-seed with a stale count, a lost release): the database decides.
   */
  @Test
  void whenRedisOverAdmitsTheDatabaseGuardDecidesAndADuplicateUserPoisonsNothing() {
    String runId = EmbeddedGrabTest.newRun(api, 5, null);
    long now = System.currentTimeMillis();
    List<OrderRequest> batch = new java.util.ArrayList<>();
    for (int i = 0; i < 8; i++) {
      batch.add(new OrderRequest(orderNumbers.next(), runId, "over-" + i, 55300, null, now));
    }
    OrderRequest sameUserAgain =
        new OrderRequest(orderNumbers.next(), runId, "over-0", 55300, null, now);
    batch.add(sameUserAgain);
    intake.write(batch);
    // the same user once more, in a batch of its own: no second active order, no failed batch
    OrderRequest laterDuplicate =
        new OrderRequest(orderNumbers.next(), runId, "over-1", 55300, null, now);
    intake.write(List.of(laterDuplicate));

    java.util.Map<String, String> statuses = EmbeddedGrabTest.ordersOf(jdbc, runId);
    assertThat(statuses).hasSize(10);
    assertThat(statuses.values().stream().filter("CREATED"::equals).count()).isEqualTo(5);
    assertThat(statuses.get(sameUserAgain.orderNo())).isEqualTo("FAILED");
    assertThat(statuses.get(laterDuplicate.orderNo())).isEqualTo("FAILED");
    assertThat(
            jdbc.sql(
                    "select count(*) from ticket_order where run_id = ? and failure_reason = 'sold out at the database guard'")
                .param(runId)
                .query(Long.class)
                .single())
        .isEqualTo(3);
    io.railrush.app.testing.Api.Reply audit =
        api.get("/api/v1/admin/runs/" + runId + "/audit", Api.ADMIN_TOKEN);
    assertThat(audit.json().path("sold").asInt()).isEqualTo(5);
    assertThat(audit.json().path("usersWithMoreThanOneActiveOrder").asInt()).isZero();
  }

  private static String token(String user) {
    return TestTokens.valid(TestTokens.EMBEDDED_SECRET, user);
  }
}
