package io.railrush.app.payment;

import static org.assertj.core.api.Assertions.assertThat;

import io.railrush.app.testing.Api;
import io.railrush.app.testing.Payments;
import io.railrush.bench.payment.PaymentProviderSimulator;
import java.net.URI;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;

/**
 * A buyer who paid in time while settlement lags behind (a flash sale's peak of notifications,
 * shaved through the settlement queue): the payment window ends before the payment is settled. The
 * sweeper must leave that order to settlement — cancelling it would refund a paying buyer and sell
 * the seat again — while it still cancels the orders nobody paid. Settlement is held back by
 * leaving out the payment role (only the sweeper's inbox redrive, for notifications 10 s old, could
 * settle it meanwhile), then run by hand.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "spring.datasource.url=jdbc:h2:mem:payment-window-settling;DB_CLOSE_DELAY=-1",
      "railrush.roles=web,order,sweeper",
      "railrush.order.payment-window=3s",
      "railrush.order.sweep-every=200ms"
    })
@ActiveProfiles("embedded")
class PaymentWindowWhileSettlingTest {

  static final PaymentProviderSimulator provider = new PaymentProviderSimulator("dev-sim-secret");

  @AfterAll
  static void stopSimulator() {
    provider.close();
  }

  @LocalServerPort int port;
  @Autowired InProcessSettlementBus settlement;
  @Autowired JdbcClient jdbc;

  @Test
  void anOrderPaidInTimeIsNotCancelledWhileItsPaymentWaitsToBeSettled() throws Exception {
    Api api = new Api(port);
    Payments payments = new Payments(api);
    String runId = payments.newRun(5);
    URI notify = URI.create(api.uri("/api/v1/payments/notify/sim"));
    Payments.Paying paid = payments.createdOrderWithPayment(runId, "sim");
    assertThat(provider.send(notify, provider.pay(paid.outTradeNo(), paid.amountCents())))
        .isEqualTo(200);
    Payments.Paying unpaid = payments.createdOrderWithPayment(runId, "sim");

    payments.awaitOrderStatus(unpaid, "CANCELLED"); // the window has ended and the sweeper runs
    Thread.sleep(1_000); // a few more sweeps
    // CREATED, or PAID if the inbox redrive (every 5 s, for notifications 10 s old) came first
    assertThat(payments.order(paid).path("status").asString()).isNotEqualTo("CANCELLED");

    while (settlement.poll()) {
      // settle everything recorded
    }
    assertThat(payments.order(paid).path("status").asString()).isEqualTo("PAID");
    assertThat(
            jdbc.sql("select status from payment where out_trade_no = ?")
                .param(paid.outTradeNo())
                .query(String.class)
                .single())
        .isEqualTo("PAID");
    assertThat(payments.sold(runId)).isEqualTo(1);
  }
}
