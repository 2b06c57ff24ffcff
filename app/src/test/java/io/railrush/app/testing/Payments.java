package io.railrush.app.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.JsonNode;

/** Orders ready to pay, through the API: a run, a user, a grab, the order CREATED, a payment. */
public final class Payments {

  private static final AtomicInteger sequence = new AtomicInteger();

  private final Api api;

  public Payments(Api api) {
    this.api = api;
  }

  /** An order of the user's, CREATED, and a payment created for it. */
  public record Paying(
      String runId,
      String userId,
      String token,
      String orderNo,
      String outTradeNo,
      long amountCents) {}

  public String newRun(int seats) {
    int n = sequence.incrementAndGet();
    String date = LocalDate.now(ZoneId.of("Asia/Shanghai")).plusDays(10 + n % 300).toString();
    Api.Reply reply =
        api.post(
            "/api/v1/admin/runs",
            Api.ADMIN_TOKEN,
            """
            {"trainNo":"D%d","departureDate":"%s","origin":"北京南","destination":"上海虹桥","departureTime":"09:00","seats":%d,"priceCents":55300}
            """
                .formatted(1000 + n % 9000, date, seats));
    assertThat(reply.status()).as(reply.body()).isEqualTo(201);
    return reply.json().path("runId").asString();
  }

  public Paying createdOrderWithPayment(String provider) {
    return createdOrderWithPayment(newRun(10), provider);
  }

  public Paying createdOrderWithPayment(String runId, String provider) {
    return createdOrderWithPayment(runId, provider, 0);
  }

  /**
   * As {@link #createdOrderWithPayment(String, String)}, the grab naming a coupon of {@code
   * couponOffCents} issued to the buyer (0: no coupon); the payment's amount is the fare less it.
   */
  public Paying createdOrderWithPayment(String runId, String provider, long couponOffCents) {
    String userId = "payer-" + sequence.incrementAndGet() + "-" + System.nanoTime() % 1_000_000;
    String token = api.login(userId);
    String body =
        couponOffCents > 0
            ? "{\"couponId\":\"" + api.issueCoupon(userId, couponOffCents) + "\"}"
            : "";
    Api.Reply grab = api.post("/api/v1/runs/" + runId + "/grabs", token, body);
    assertThat(grab.status()).as(grab.body()).isEqualTo(202);
    String orderNo = grab.json().path("orderNo").asString();
    Paying pending = new Paying(runId, userId, token, orderNo, null, 0);
    awaitOrderStatus(pending, "CREATED");
    Api.Reply created =
        api.post(
            "/api/v1/orders/" + orderNo + "/payments",
            token,
            "{\"provider\":\"" + provider + "\"}");
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    assertThat(created.json().path("provider").asString()).isEqualTo(provider);
    return new Paying(
        runId,
        userId,
        token,
        orderNo,
        created.json().path("outTradeNo").asString(),
        created.json().path("amountCents").asLong());
  }

  public JsonNode order(Paying paying) {
    Api.Reply reply = api.get("/api/v1/orders/" + paying.orderNo(), paying.token());
    assertThat(reply.status()).as(reply.body()).isEqualTo(200);
    return reply.json();
  }

  /** Waits for the order's status (right after its 202 it is PENDING). */
  public void awaitOrderStatus(Paying paying, String status) {
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(50))
        .until(
            () -> {
              Api.Reply reply = api.get("/api/v1/orders/" + paying.orderNo(), paying.token());
              return reply.status() == 200 && status.equals(reply.json().path("status").asString());
            });
  }

  public int sold(String runId) {
    return api.get("/api/v1/admin/runs/" + runId + "/audit", Api.ADMIN_TOKEN)
        .json()
        .path("sold")
        .asInt();
  }
}
