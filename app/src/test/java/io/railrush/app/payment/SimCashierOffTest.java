package io.railrush.app.payment;

import static org.assertj.core.api.Assertions.assertThat;

import io.railrush.app.testing.Api;
import io.railrush.app.testing.Payments;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;

/** Without {@code railrush.payment.sim.cashier} (the cluster's default) there is no cashier. */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "spring.datasource.url=jdbc:h2:mem:cashier-off;DB_CLOSE_DELAY=-1",
      "railrush.payment.sim.cashier=false"
    })
@ActiveProfiles("embedded")
class SimCashierOffTest {

  @LocalServerPort int port;

  @Test
  void theCashierIsNotThere() {
    Api api = new Api(port);
    Payments.Paying paying = new Payments(api).createdOrderWithPayment("sim");
    Api.Reply reply =
        api.post("/api/v1/payments/sim/" + paying.outTradeNo() + "/pay", paying.token(), "");
    assertThat(reply.status()).as(reply.body()).isEqualTo(404);
    assertThat(reply.code()).isEqualTo("NOT_FOUND");
    assertThat(new Payments(api).order(paying).path("status").asString()).isEqualTo("CREATED");
  }
}
