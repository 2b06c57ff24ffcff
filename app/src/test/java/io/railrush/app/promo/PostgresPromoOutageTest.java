package io.railrush.app.promo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.railrush.app.testing.Api;
import io.railrush.app.testing.ClusterNode;
import io.railrush.app.testing.InParallel;
import io.railrush.app.testing.Payments;
import io.railrush.app.testing.TestDatabases;
import io.railrush.bench.payment.PaymentProviderSimulator;
import io.railrush.kit.testing.TestRedis;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The promo consumer's database refuses writes (read-only) for 30 s while 200 paid orders with
 * coupons send it their PaymentSucceeded: an outage is not the messages' fault, so none of them is
 * dead-lettered however many times it fails meanwhile (three attempts, 50 ms apart, would otherwise
 * spend them in a second); once writes are back every coupon is used and every order has its draw.
 */
@Tag("postgres")
@Tag("redis")
@Tag("rabbitmq")
class PostgresPromoOutageTest {

  private static final int ORDERS = 200;
  private static final Duration OUTAGE = Duration.ofSeconds(30);

  @Test
  void aReadOnlyPromoDatabaseForThirtySecondsDeadLettersNothingAndEveryCouponIsUsedAfter()
      throws Exception {
    TestDatabases.Database db = TestDatabases.freshPostgres();
    // the promo node logs in as a role of its own, so only its sessions turn read-only
    TestDatabases.Database promoLogin = TestDatabases.asNewPostgresRole(db);
    String role = promoLogin.username();
    String prefix = TestRedis.uniquePrefix("promo-outage");
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("railrush.payment.query-after", "1h");
    settings.put("railrush.messaging.retry-base", "50ms");
    settings.put("railrush.messaging.retry-max", "2s");
    settings.put("railrush.messaging.max-attempts", "3");
    Map<String, String> allButPromo = new LinkedHashMap<>(settings);
    allButPromo.put("railrush.roles", "web,order,payment,sweeper");
    Map<String, String> promoOnly = new LinkedHashMap<>(settings);
    promoOnly.put("railrush.roles", "promo");
    try (PaymentProviderSimulator provider = new PaymentProviderSimulator(ClusterNode.SIM_SECRET);
        ClusterNode node = ClusterNode.start(db, TestRedis.URL, prefix, allButPromo);
        ClusterNode promo = ClusterNode.start(promoLogin, TestRedis.URL, prefix, promoOnly)) {
      Api api = node.api();
      Payments payments = new Payments(api);
      String runId = payments.newRun(ORDERS);
      List<Payments.Paying> paying =
          InParallel.run(ORDERS, i -> payments.createdOrderWithPayment(runId, "sim", 300));
      JdbcClient jdbc = node.bean(JdbcClient.class);
      assertThat(count(jdbc, "select count(*) from coupon where status = 'RESERVED'"))
          .isEqualTo(ORDERS);

      TestDatabases.postgresAdmin("alter role " + role + " set default_transaction_read_only = on");
      TestDatabases.endPostgresSessions(role); // its pool reconnects, read-only
      long outageStarted = System.nanoTime();
      try {
        URI notify = URI.create(api.uri("/api/v1/payments/notify/sim"));
        InParallel.run(
            ORDERS,
            i ->
                provider
                    .deliver(
                        notify,
                        provider.pay(paying.get(i).outTradeNo(), paying.get(i).amountCents()))
                    .acknowledged());
        await()
            .atMost(Duration.ofSeconds(60))
            .until(
                () ->
                    count(jdbc, "select count(*) from ticket_order where status = 'PAID'")
                        == ORDERS);
        Thread.sleep(
            Math.max(0, OUTAGE.toMillis() - (System.nanoTime() - outageStarted) / 1_000_000));
        assertThat(count(jdbc, "select count(*) from lottery_draw"))
            .as("nothing applied while the promo database refuses writes")
            .isZero();
      } finally {
        TestDatabases.postgresAdmin("alter role " + role + " reset default_transaction_read_only");
        TestDatabases.endPostgresSessions(role);
      }

      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> count(jdbc, "select count(*) from lottery_draw") == ORDERS);
      assertThat(count(jdbc, "select count(*) from coupon where status = 'USED'"))
          .isEqualTo(ORDERS);
      assertThat(count(jdbc, "select count(distinct order_no) from coupon where status = 'USED'"))
          .isEqualTo(ORDERS);
      assertThat(count(jdbc, "select count(*) from message_dead_letter")).isZero();
      // parked, not retried: the outage spent none of the messages' attempts
      MeterRegistry meters = promo.bean(MeterRegistry.class);
      assertThat(deliveries(meters, "parked")).isPositive();
      assertThat(deliveries(meters, "retried")).isZero();
      assertThat(deliveries(meters, "dead")).isZero();
    } finally {
      TestDatabases.dropPostgresRole(role);
    }
  }

  /**
   * A message that fails on its own (PaymentSucceeded naming a coupon that does not exist) while
   * its dead letter cannot be written (a trigger refuses the insert): it is kept — neither lost nor
   * left unacknowledged, holding a consumer's prefetch slot — and dead-lettered once the record can
   * be written.
   */
  @Test
  void aDeadLetterThatCannotBeRecordedKeepsItsMessageUntilItCanBe() {
    TestDatabases.Database db = TestDatabases.freshPostgres();
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("railrush.payment.query-after", "1h");
    settings.put("railrush.messaging.retry-base", "50ms");
    settings.put("railrush.messaging.retry-max", "200ms");
    settings.put("railrush.messaging.max-attempts", "3");
    try (ClusterNode node =
        ClusterNode.start(db, TestRedis.URL, TestRedis.uniquePrefix("dead-unrecorded"), settings)) {
      JdbcClient jdbc = node.bean(JdbcClient.class);
      jdbc.sql(
              """
              create function refuse_dead_letters() returns trigger as $$
              begin
                raise exception 'refused by the test' using errcode = '23514';
              end $$ language plpgsql
              """)
          .update();
      jdbc.sql(
              "create trigger refuse_dead_letters before insert on message_dead_letter"
                  + " for each row execute function refuse_dead_letters()")
          .update();
      String orderNo = "O-unrecorded-" + System.nanoTime() % 1_000_000;
      String poisonId = "PaymentSucceeded:T-" + orderNo;
      jdbc.sql(
              "insert into message_outbox (message_id, message_type, payload, created_at_ms)"
                  + " values (?, 'PaymentSucceeded', ?, ?)")
          .params(
              poisonId,
              "{\"orderNo\":\"%s\",\"userId\":\"poisoned\",\"couponId\":\"Cnone\"}"
                  .formatted(orderNo),
              System.currentTimeMillis())
          .update();
      MeterRegistry meters = node.bean(MeterRegistry.class);
      // it reaches its last attempt and its dead letter is refused, more than once
      await().atMost(Duration.ofSeconds(30)).until(() -> deliveries(meters, "parked") >= 3);
      assertThat(count(jdbc, "select count(*) from message_dead_letter")).isZero();

      jdbc.sql("drop trigger refuse_dead_letters on message_dead_letter").update();
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  count(
                          jdbc,
                          "select count(*) from message_dead_letter where message_id = '"
                              + poisonId
                              + "'")
                      == 1);
      assertThat(deliveries(meters, "dead")).isEqualTo(1);
    }
  }

  private static double deliveries(MeterRegistry meters, String outcome) {
    Counter counter =
        meters
            .find("railrush.messages.deliveries")
            .tag("consumer", "promo")
            .tag("outcome", outcome)
            .counter();
    return counter == null ? 0 : counter.count();
  }

  private static long count(JdbcClient jdbc, String sql) {
    return jdbc.sql(sql).query(Long.class).single();
  }
}
