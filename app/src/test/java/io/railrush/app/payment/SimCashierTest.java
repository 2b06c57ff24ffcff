package io.railrush.app.payment;

import static org.assertj.core.api.Assertions.assertThat;

import io.railrush.app.testing.Api;
import io.railrush.app.testing.EmbeddedApiTest;
import io.railrush.app.testing.Payments;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The simulator's cashier (the buyer page's "pay"): its notification goes through the real notify
 * endpoint, verification, inbox and settlement, once; a pay for someone else's, an unknown or an
 * already paid payment is refused and records nothing.
 */
@EmbeddedApiTest
class SimCashierTest {

  @LocalServerPort int port;
  @Autowired JdbcClient jdbc;
  Api api;
  Payments payments;

  @BeforeEach
  void connect() {
    api = new Api(port);
    payments = new Payments(api);
  }

  @Test
  void payingAtTheCashierSettlesThePaymentOnceThroughTheNotifyEndpoint() {
    Payments.Paying paying = payments.createdOrderWithPayment("sim");
    int soldBefore = payments.sold(paying.runId());

    Api.Reply paid = pay(paying.outTradeNo(), paying.token());
    assertThat(paid.status()).as(paid.body()).isEqualTo(202);
    assertThat(paid.json().path("status").asString()).isEqualTo("PAYING");
    payments.awaitOrderStatus(paying, "PAID");

    assertProblem(pay(paying.outTradeNo(), paying.token()), 409, "CONFLICT");
    assertThat(notificationsOf(paying.outTradeNo())).isEqualTo(1);
    assertThat(
            jdbc.sql("select count(*) from payment_settlement where out_trade_no = ?")
                .param(paying.outTradeNo())
                .query(Long.class)
                .single())
        .isEqualTo(1);
    assertThat(payments.sold(paying.runId())).isEqualTo(soldBefore);
  }

  @Test
  void theCashierRefusesWhatIsNotTheCallersPendingSimulatorPayment() {
    Payments.Paying paying = payments.createdOrderWithPayment("sim");
    String stranger = api.login("cashier-stranger");

    assertProblem(pay(paying.outTradeNo(), stranger), 404, "NOT_FOUND");
    assertProblem(pay("P0000000000000000000", paying.token()), 404, "NOT_FOUND");
    assertProblem(pay(paying.outTradeNo(), null), 401, "UNAUTHORIZED");
    assertProblem(pay(paying.outTradeNo(), Api.ADMIN_TOKEN), 401, "UNAUTHORIZED");

    assertThat(notificationsOf(paying.outTradeNo())).isZero();
    assertThat(payments.order(paying).path("status").asString()).isEqualTo("CREATED");
  }

  private Api.Reply pay(String outTradeNo, String token) {
    return api.post("/api/v1/payments/sim/" + outTradeNo + "/pay", token, "");
  }

  private long notificationsOf(String outTradeNo) {
    return jdbc.sql("select count(*) from payment_notification where out_trade_no = ?")
        .param(outTradeNo)
        .query(Long.class)
        .single();
  }

  private static void assertProblem(Api.Reply reply, int status, String code) {
    assertThat(reply.status()).as(reply.body()).isEqualTo(status);
    assertThat(reply.code()).isEqualTo(code);
  }
}
