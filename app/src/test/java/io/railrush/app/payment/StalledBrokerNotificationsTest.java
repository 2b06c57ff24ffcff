package io.railrush.app.payment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.railrush.app.testing.ClusterNode;
import io.railrush.app.testing.InParallel;
import io.railrush.app.testing.Payments;
import io.railrush.app.testing.TcpProxy;
import io.railrush.app.testing.TestDatabases;
import io.railrush.bench.payment.PaymentProviderSimulator;
import io.railrush.kit.testing.TestRedis;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A broker that keeps the connection open and stops answering (every byte held in a proxy) while
 * 500 payment notifications arrive: the settlement wake-up must not hold the answers (the provider
 * gives each call 1 s), and once the broker answers again every payment is settled — by the
 * wake-ups sent late or by the inbox's redrive.
 */
@Tag("postgres")
@Tag("redis")
@Tag("rabbitmq")
class StalledBrokerNotificationsTest {

  private static final int ORDERS = 500;

  @Test
  void notificationsAreAnsweredInTimeWhileTheBrokerStallsAndAllSettleAfterwards() throws Exception {
    try (PaymentProviderSimulator provider = new PaymentProviderSimulator(ClusterNode.SIM_SECRET);
        TcpProxy broker = TcpProxy.to("127.0.0.1", 5672);
        ClusterNode node =
            ClusterNode.start(
                TestDatabases.freshPostgres(),
                TestRedis.URL,
                TestRedis.uniquePrefix("stalled-broker"),
                Map.of(
                    "spring.rabbitmq.port", Integer.toString(broker.port()),
                    "railrush.payment.query-after", "1h",
                    "railrush.payment.sim.query-url", provider.queryUrl()))) {
      Payments payments = new Payments(node.api());
      String runId = payments.newRun(ORDERS);
      List<Payments.Paying> paying =
          InParallel.run(ORDERS, i -> payments.createdOrderWithPayment(runId, "sim"));

      broker.stall();
      URI notify = URI.create(node.api().uri("/api/v1/payments/notify/sim"));
      List<Integer> answers =
          InParallel.run(
              ORDERS,
              i ->
                  provider.send(
                      notify,
                      provider.pay(paying.get(i).outTradeNo(), paying.get(i).amountCents())));
      // 200: answered SUCCESS within the provider's 1 s deadline (-1: no answer in time, 503:
      // refused)
      assertThat(answers).hasSize(ORDERS).containsOnly(200);
      broker.flow();

      JdbcClient jdbc = node.bean(JdbcClient.class);
      await()
          .atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofMillis(500))
          .until(
              () ->
                  jdbc.sql("select count(*) from payment where status = 'PAID'")
                          .query(Long.class)
                          .single()
                      == ORDERS);
      assertThat(
              jdbc.sql("select count(*) from ticket_order where run_id = ? and status = 'PAID'")
                  .param(runId)
                  .query(Long.class)
                  .single())
          .isEqualTo(ORDERS);
      assertThat(jdbc.sql("select count(*) from payment_settlement").query(Long.class).single())
          .isEqualTo(ORDERS);
    }
  }
}
