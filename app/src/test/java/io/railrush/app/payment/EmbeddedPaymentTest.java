package io.railrush.app.payment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.railrush.app.testing.Api;
import io.railrush.app.testing.Payments;
import io.railrush.bench.payment.PaymentProviderSimulator;
import io.railrush.bench.payment.PaymentProviderSimulator.Notification;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Payment notifications in embedded mode (H2, the in-process settlement bus), driven by the
 * provider simulator: applied exactly once however often they come, refused when forged, recorded
 * for a person when they do not match, and a lost one found by asking the provider.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "spring.datasource.url=jdbc:h2:mem:payments;DB_CLOSE_DELAY=-1",
      "railrush.payment.query-after=1s"
    })
@ActiveProfiles("embedded")
class EmbeddedPaymentTest {

  static final PaymentProviderSimulator provider = new PaymentProviderSimulator("dev-sim-secret");

  @DynamicPropertySource
  static void simulator(DynamicPropertyRegistry registry) {
    registry.add("railrush.payment.sim.query-url", provider::queryUrl);
  }

  @AfterAll
  static void stopSimulator() {
    provider.close();
  }

  @LocalServerPort int port;
  @Autowired JdbcClient jdbc;
  Api api;
  Payments payments;
  URI notifySim;

  @BeforeEach
  void connect() {
    api = new Api(port);
    payments = new Payments(api);
    notifySim = URI.create(api.uri("/api/v1/payments/notify/sim"));
  }

  @Test
  void aNotificationDeliveredFiveTimesThreeAtOnceIsAppliedOnce() {
    Payments.Paying paying = payments.createdOrderWithPayment("sim");
    Notification paid = provider.pay(paying.outTradeNo(), paying.amountCents());

    PaymentProviderSimulator.Delivery delivery = provider.deliver(notifySim, paid);
    assertThat(delivery.acknowledged()).as(delivery.toString()).isTrue();
    assertThat(delivery.calls()).isEqualTo(1);
    assertThat(provider.sendAtOnce(List.of(notifySim), paid, 3)).containsOnly(200);
    assertThat(provider.send(notifySim, paid)).isEqualTo(200);

    payments.awaitOrderStatus(paying, "PAID");
    awaitSettled(paying.outTradeNo());
    assertThat(
            count(
                "select count(*) from payment_settlement where out_trade_no = ?",
                paying.outTradeNo()))
        .isEqualTo(1);
    assertThat(
            count(
                "select count(*) from payment_notification where out_trade_no = ?",
                paying.outTradeNo()))
        .isEqualTo(1);
    assertThat(paymentStatus(paying.outTradeNo())).isEqualTo("PAID");
    assertThat(payments.order(paying).path("paidAt").isNull()).isFalse();
    assertThat(
            count(
                "select count(*) from message_outbox where message_id = ?",
                "PaymentSucceeded:" + paying.outTradeNo()))
        .isEqualTo(1);
  }

  @Test
  void aSecondNotificationOfTheSameTradeChangesNothing() {
    Payments.Paying paying = payments.createdOrderWithPayment("sim");
    Notification paid = provider.pay(paying.outTradeNo(), paying.amountCents());
    assertThat(provider.send(notifySim, paid)).isEqualTo(200);
    payments.awaitOrderStatus(paying, "PAID");
    Notification again =
        new Notification(
            "N-again-" + paying.outTradeNo(),
            paid.outTradeNo(),
            paid.transactionId(),
            paid.amountCents(),
            "SUCCESS",
            paid.timestamp());
    assertThat(provider.send(notifySim, again)).isEqualTo(200);
    await().atMost(Duration.ofSeconds(10)).until(() -> outcomeOf(again.notifyId()) != null);
    assertThat(outcomeOf(again.notifyId())).isEqualTo("DUPLICATE");
    assertThat(
            count(
                "select count(*) from payment_settlement where out_trade_no = ?",
                paying.outTradeNo()))
        .isEqualTo(1);
  }

  @Test
  void aForgedOrUnsignedNotificationIsRefusedAndNothingIsRecorded() {
    Payments.Paying paying = payments.createdOrderWithPayment("sim");
    Notification paid = provider.pay(paying.outTradeNo(), paying.amountCents());
    byte[] body = paid.body().getBytes(StandardCharsets.UTF_8);
    byte[] tampered = paid.withAmount(1).body().getBytes(StandardCharsets.UTF_8);
    long before = count("select count(*) from payment_notification");

    assertThat(provider.send(notifySim, tampered, provider.sign(body))).isEqualTo(401);
    assertThat(provider.send(notifySim, body, null)).isEqualTo(401);
    assertThat(provider.send(notifySim, body, "zz-not-hex")).isEqualTo(401);
    assertThat(
            provider.send(notifySim, body, new PaymentProviderSimulator("wrong-secret").sign(body)))
        .isEqualTo(401);
    Api.Reply reply =
        api.send(
            java.net.http.HttpRequest.newBuilder(notifySim)
                .header("Content-Type", "application/json")
                .header("X-Sim-Signature", provider.sign(tampered))
                .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(body)));
    assertThat(reply.status()).isEqualTo(401);
    assertThat(reply.code()).isEqualTo("INVALID_SIGNATURE");
    assertThat(reply.contentType()).startsWith("application/problem+json");

    assertThat(count("select count(*) from payment_notification")).isEqualTo(before);
    assertThat(payments.order(paying).path("status").asString()).isEqualTo("CREATED");
  }

  @Test
  void malformedSignedNotificationsAreRefusedAndNothingIsRecorded() {
    long before = count("select count(*) from payment_notification");
    for (String body :
        List.of(
            "not json",
            "{}",
            "{\"notifyId\":\"n1\",\"outTradeNo\":\"P1\",\"amountCents\":1,\"status\":\"SUCCESS\",\"timestamp\":\"2026-01-01T00:00:00+08:00\"}",
            "{\"notifyId\":\"n2\",\"outTradeNo\":\"P1\",\"transactionId\":\"T\",\"amountCents\":\"ten\",\"status\":\"SUCCESS\",\"timestamp\":\"now\"}",
            "{\"notifyId\":\"n3\",\"outTradeNo\":\"P1\",\"transactionId\":\"T\",\"amountCents\":1,\"status\":\"MAYBE\",\"timestamp\":\""
                + java.time.OffsetDateTime.now()
                + "\"}",
            "{\"notifyId\":\"n4\",\"outTradeNo\":\"P1\",\"transactionId\":\"T\",\"amountCents\":1,\"status\":\"SUCCESS\",\"timestamp\":\"yesterday\"}",
            "{\"notifyId\":\"n5\",\"outTradeNo\":\"P1\",\"transactionId\":\"%s\",\"amountCents\":1,\"status\":\"SUCCESS\",\"timestamp\":\"%s\"}"
                .formatted("T".repeat(65), java.time.OffsetDateTime.now()))) {
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      assertThat(provider.send(notifySim, bytes, provider.sign(bytes))).as(body).isEqualTo(400);
    }
    Notification stale =
        new Notification(
            "n-stale",
            "P1",
            "T1",
            100,
            "SUCCESS",
            java.time.OffsetDateTime.now().minusHours(1).toString());
    assertThat(provider.send(notifySim, stale)).isEqualTo(401);
    assertThat(count("select count(*) from payment_notification")).isEqualTo(before);
  }

  @Test
  void anAmountThatDoesNotMatchIsRecordedForReviewAndNotApplied() {
    Payments.Paying paying = payments.createdOrderWithPayment("sim");
    Notification wrong =
        new Notification(
            "N-wrong-" + paying.outTradeNo(),
            paying.outTradeNo(),
            "T-wrong-" + paying.outTradeNo(),
            paying.amountCents() - 1,
            "SUCCESS",
            java.time.OffsetDateTime.now().toString());
    assertThat(provider.send(notifySim, wrong)).isEqualTo(200);
    await().atMost(Duration.ofSeconds(10)).until(() -> outcomeOf(wrong.notifyId()) != null);
    assertThat(outcomeOf(wrong.notifyId())).isEqualTo("REVIEW");
    assertThat(paymentStatus(paying.outTradeNo())).isEqualTo("REVIEW");
    assertThat(payments.order(paying).path("status").asString()).isEqualTo("CREATED");
    assertThat(reviewList("REVIEW")).contains(wrong.notifyId(), "amount mismatch");
  }

  @Test
  void aNotificationForAnUnknownTradeIsRecordedForReview() {
    Notification unknown =
        new Notification(
            "N-unknown-trade",
            "P0000000000000000001",
            "T-unknown",
            100,
            "SUCCESS",
            java.time.OffsetDateTime.now().toString());
    assertThat(provider.send(notifySim, unknown)).isEqualTo(200);
    await().atMost(Duration.ofSeconds(10)).until(() -> outcomeOf(unknown.notifyId()) != null);
    assertThat(outcomeOf(unknown.notifyId())).isEqualTo("REVIEW");
    assertThat(reviewList("REVIEW")).contains("unknown trade");
  }

  @Test
  void aPaymentForAnOrderCancelledFirstNeedsARefundAndSellsNothingTwice() {
    Payments.Paying paying = payments.createdOrderWithPayment("sim");
    int soldBefore = payments.sold(paying.runId());
    Api.Reply cancelled =
        api.post("/api/v1/orders/" + paying.orderNo() + "/cancel", paying.token(), "");
    assertThat(cancelled.status()).as(cancelled.body()).isEqualTo(200);
    assertThat(payments.sold(paying.runId())).isEqualTo(soldBefore - 1);

    Notification late = provider.pay(paying.outTradeNo(), paying.amountCents());
    assertThat(provider.send(notifySim, late)).isEqualTo(200);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> "REFUND_NEEDED".equals(paymentStatus(paying.outTradeNo())));
    assertThat(payments.order(paying).path("status").asString()).isEqualTo("CANCELLED");
    assertThat(payments.sold(paying.runId())).isEqualTo(soldBefore - 1);
    assertThat(reviewList("REFUND_NEEDED")).contains(paying.outTradeNo());
  }

  @Test
  void aLostNotificationIsSettledByAskingTheProvider() {
    Payments.Paying paying = payments.createdOrderWithPayment("sim");
    provider.pay(paying.outTradeNo(), paying.amountCents()); // paid, and the callback is lost
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> "PAID".equals(payments.order(paying).path("status").asString()));
    assertThat(paymentStatus(paying.outTradeNo())).isEqualTo("PAID");
    assertThat(
            count(
                "select count(*) from payment_settlement where out_trade_no = ?",
                paying.outTradeNo()))
        .isEqualTo(1);
    assertThat(
            count(
                "select count(*) from payment_notification where out_trade_no = ? and notify_id like 'query-%'",
                paying.outTradeNo()))
        .isGreaterThanOrEqualTo(1);
  }

  @Test
  void paymentsAreCreatedOnlyForTheOwnersCreatedOrders() {
    Payments.Paying paying = payments.createdOrderWithPayment("sim");
    assertThat(paying.amountCents()).isEqualTo(55300);
    String path = "/api/v1/orders/" + paying.orderNo() + "/payments";
    String stranger = api.login("stranger-" + paying.orderNo());

    assertThat(api.post(path, paying.token(), "{\"provider\":\"paypal\"}").status()).isEqualTo(400);
    assertThat(api.post(path, paying.token(), "{}").status()).isEqualTo(400);
    assertThat(api.post(path, paying.token(), "{\"provider\":\"sim\",\"extra\":1}").status())
        .isEqualTo(400);
    assertThat(api.post(path, stranger, "{\"provider\":\"sim\"}").status()).isEqualTo(404);
    assertThat(api.post(path, null, "{\"provider\":\"sim\"}").status()).isEqualTo(401);
    assertThat(
            api.post(
                    "/api/v1/orders/E0000000000000000001/payments",
                    paying.token(),
                    "{\"provider\":\"sim\"}")
                .status())
        .isEqualTo(404);
    Api.Reply wechat = api.post(path, paying.token(), "{\"provider\":\"wechat\"}");
    assertThat(wechat.status()).isEqualTo(404);
    assertThat(wechat.code()).isEqualTo("NOT_FOUND");

    Notification paid = provider.pay(paying.outTradeNo(), paying.amountCents());
    assertThat(provider.send(notifySim, paid)).isEqualTo(200);
    payments.awaitOrderStatus(paying, "PAID");
    Api.Reply again = api.post(path, paying.token(), "{\"provider\":\"sim\"}");
    assertThat(again.status()).isEqualTo(409);
    assertThat(again.code()).isEqualTo("CONFLICT");
  }

  @Test
  void providersWithoutSettingsAnswer404AndAdminListsNeedTheAdmin() {
    assertThat(api.post("/api/v1/payments/notify/wechat", null, "{}").status()).isEqualTo(404);
    Api.Reply alipay =
        api.send(
            java.net.http.HttpRequest.newBuilder(
                    URI.create(api.uri("/api/v1/payments/notify/alipay")))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("notify_id=1")));
    assertThat(alipay.status()).isEqualTo(404);
    assertThat(api.get("/api/v1/admin/payments?status=REVIEW").status()).isEqualTo(401);
    assertThat(api.get("/api/v1/admin/payments?status=PAID", Api.ADMIN_TOKEN).status())
        .isEqualTo(400);
    assertThat(api.get("/api/v1/admin/payments", Api.ADMIN_TOKEN).status()).isEqualTo(400);
  }

  private String reviewList(String status) {
    Api.Reply reply = api.get("/api/v1/admin/payments?status=" + status, Api.ADMIN_TOKEN);
    assertThat(reply.status()).as(reply.body()).isEqualTo(200);
    return reply.body();
  }

  private void awaitSettled(String outTradeNo) {
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                count(
                        "select count(*) from payment_notification where out_trade_no = ? and settled_at_ms is null",
                        outTradeNo)
                    == 0);
  }

  private String outcomeOf(String notifyId) {
    return jdbc.sql("select outcome from payment_notification where notify_id = ?")
        .param(notifyId)
        .query(String.class)
        .optional()
        .orElse(null);
  }

  private String paymentStatus(String outTradeNo) {
    return jdbc.sql("select status from payment where out_trade_no = ?")
        .param(outTradeNo)
        .query(String.class)
        .single();
  }

  private long count(String sql, Object... params) {
    return jdbc.sql(sql).params(params).query(Long.class).single();
  }
}
