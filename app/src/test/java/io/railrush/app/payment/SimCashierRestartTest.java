package io.railrush.app.payment;

import static org.assertj.core.api.Assertions.assertThat;

import io.railrush.app.RailrushApplication;
import io.railrush.app.testing.Api;
import io.railrush.app.testing.Payments;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Embedded mode: the buyer pays at the simulator's cashier (202), and the node stops before the
 * cashier's notification is recorded (its inbox refuses inserts until then). After a restart on the
 * same data directory the payment is settled: the cashier recorded the trade before its 202, and
 * the lost-notification query asks it. Before, nothing remembered the trade: PENDING for ever.
 */
class SimCashierRestartTest {

  @Test
  void aTradePaidAtTheCashierIsSettledAfterARestartThatLostItsNotification() throws Exception {
    Path data = Files.createTempDirectory("railrush-cashier-restart");
    String url = "jdbc:h2:file:" + data.resolve("railrush") + ";WRITE_DELAY=0";
    Payments.Paying paying;
    try (ConfigurableApplicationContext node = start(url)) {
      Payments payments = new Payments(api(node));
      paying = payments.createdOrderWithPayment("sim");
      JdbcClient jdbc = node.getBean(JdbcClient.class);
      // the notification the cashier is about to send will not be recorded on this node
      jdbc.sql("alter table payment_notification rename to payment_notification_away").update();
      Api.Reply paid =
          api(node)
              .post("/api/v1/payments/sim/" + paying.outTradeNo() + "/pay", paying.token(), "");
      assertThat(paid.status()).as(paid.body()).isEqualTo(202);
      Thread.sleep(500); // its first call fails; the node stops before the next
      jdbc.sql("alter table payment_notification_away rename to payment_notification").update();
    }

    try (ConfigurableApplicationContext restarted = start(url)) {
      Api api = api(restarted);
      Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  api.get("/api/v1/orders/" + paying.orderNo(), paying.token())
                      .json()
                      .path("status")
                      .asString()
                      .equals("PAID"));
      JdbcClient jdbc = restarted.getBean(JdbcClient.class);
      assertThat(
              jdbc.sql("select notify_id from payment_notification where out_trade_no = ?")
                  .param(paying.outTradeNo())
                  .query(String.class)
                  .list())
          .singleElement()
          .asString()
          .startsWith("query-");
    }
  }

  private static ConfigurableApplicationContext start(String url) {
    return new SpringApplicationBuilder(RailrushApplication.class)
        .profiles("embedded")
        .run(
            "--server.port=0",
            "--spring.datasource.url=" + url,
            "--railrush.catalog.sample-data=false",
            "--railrush.payment.query-after=1s");
  }

  private static Api api(ConfigurableApplicationContext node) {
    return new Api(((WebServerApplicationContext) node).getWebServer().getPort());
  }
}
