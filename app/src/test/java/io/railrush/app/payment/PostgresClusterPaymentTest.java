package io.railrush.app.payment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.railrush.app.testing.Api;
import io.railrush.app.testing.Payments;
import io.railrush.app.testing.TestDatabases;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

@Tag("postgres")
@Tag("redis")
@Tag("rabbitmq")
class PostgresClusterPaymentTest extends ClusterPaymentContract {
  @Override
  protected TestDatabases.Database freshDatabase() {
    return TestDatabases.freshPostgres();
  }

  /**
   * A notification whose settlement itself keeps failing (here a constraint the database enforces
   * on that one payment's settling update; recording its notification still works) is not retried
   * for ever: after ten failures it goes to REVIEW for a person, nothing applied, while the other
   * payments settle as usual.
   */
  @Test
  void aNotificationWhoseSettlementKeepsFailingGoesToReviewAfterTenFailures() {
    Api api = nodeA().api();
    Payments payments = new Payments(api);
    Payments.Paying poisoned = payments.createdOrderWithPayment("sim");
    Payments.Paying healthy = payments.createdOrderWithPayment("sim");
    JdbcClient jdbc = nodeA().bean(JdbcClient.class);
    jdbc.sql(
            """
            create function refuse_one_payment() returns trigger as $$
            begin
              if new.out_trade_no = '%s' and new.status <> old.status then
                raise exception 'refused by the test' using errcode = '23514';
              end if;
              return new;
            end $$ language plpgsql
            """
                .formatted(poisoned.outTradeNo()))
        .update();
    jdbc.sql(
            "create trigger refuse_one_payment before update on payment"
                + " for each row execute function refuse_one_payment()")
        .update();
    try {
      URI notify = URI.create(api.uri("/api/v1/payments/notify/sim"));
      for (Payments.Paying paying : new Payments.Paying[] {poisoned, healthy}) {
        assertThat(
                provider().send(notify, provider().pay(paying.outTradeNo(), paying.amountCents())))
            .isEqualTo(200);
      }
      payments.awaitOrderStatus(healthy, "PAID");
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  "REVIEW"
                      .equals(
                          jdbc.sql(
                                  "select outcome from payment_notification where out_trade_no = ?")
                              .param(poisoned.outTradeNo())
                              .query(String.class)
                              .optional()
                              .orElse(null)));
      assertThat(
              jdbc.sql("select reason from payment_notification where out_trade_no = ?")
                  .param(poisoned.outTradeNo())
                  .query(String.class)
                  .single())
          .startsWith("settlement failed 10 times");
      assertThat(payments.order(poisoned).path("status").asString()).isEqualTo("CREATED");
      Api.Reply review = api.get("/api/v1/admin/payments?status=REVIEW", Api.ADMIN_TOKEN);
      assertThat(review.body()).contains(poisoned.outTradeNo());
    } finally {
      jdbc.sql("drop trigger refuse_one_payment on payment").update();
      jdbc.sql("drop function refuse_one_payment()").update();
    }
  }
}
