package io.railrush.app.grab;

import static org.assertj.core.api.Assertions.assertThat;

import io.railrush.app.testing.Api;
import io.railrush.app.testing.TestDatabases;
import io.railrush.app.testing.TestTokens;
import io.railrush.kit.stock.StockReservations;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * A grab's hand-over surely fails (the grab outbox is gone) and then the release of its coupon
 * fails too (a trigger refuses it): the coupon goes back before the seat, so the seat stays held —
 * the hold the reconciler walks — and once the database behaves the reconciler returns both. With
 * the seat returned first, nothing would lead back to the coupon. An embedded node on PostgreSQL,
 * for the trigger.
 */
@Tag("postgres")
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "railrush.grab.reservation-timeout=1s",
      "railrush.grab.reconcile-every=200ms",
      "railrush.catalog.sample-data=false"
    })
@ActiveProfiles("embedded")
class FailedHandOverCouponTest {

  private static final TestDatabases.Database DB = TestDatabases.freshPostgres();

  @DynamicPropertySource
  static void database(DynamicPropertyRegistry properties) {
    properties.add("spring.datasource.url", DB::url);
    properties.add("spring.datasource.username", DB::username);
    properties.add("spring.datasource.password", () -> "");
  }

  @LocalServerPort int port;
  @Autowired JdbcClient jdbc;
  @Autowired StockReservations stock;

  @Test
  void aCouponWhoseReleaseFailsAfterAFailedHandOverKeepsItsSeatHeldUntilTheReconcilerReturnsBoth() {
    Api api = new Api(port);
    String runId =
        api.createRun(
            "G7791",
            LocalDate.now(ZoneId.of("Asia/Shanghai")).plusDays(7).toString(),
            "上海虹桥",
            "杭州东",
            5);
    String loader = TestTokens.valid(TestTokens.EMBEDDED_SECRET, "handover-loader");
    assertThat(api.post("/api/v1/runs/" + runId + "/grabs", loader, "").status()).isEqualTo(202);
    String couponId = api.issueCoupon("handover-buyer", 500);
    String buyer = TestTokens.valid(TestTokens.EMBEDDED_SECRET, "handover-buyer");

    jdbc.sql(
            """
            create function refuse_coupon_release() returns trigger as $$
            begin
              if old.status = 'RESERVED' and new.status = 'AVAILABLE' then
                raise exception 'refused by the test';
              end if;
              return new;
            end $$ language plpgsql
            """)
        .update();
    jdbc.sql(
            "create trigger refuse_coupon_release before update on coupon"
                + " for each row execute function refuse_coupon_release()")
        .update();
    jdbc.sql("alter table grab_outbox rename to grab_outbox_away").update();
    try {
      Api.Reply refused =
          api.post(
              "/api/v1/runs/" + runId + "/grabs", buyer, "{\"couponId\":\"" + couponId + "\"}");
      assertThat(refused.code()).as(refused.body()).isEqualTo("BUSY");
      assertThat(couponStatus(couponId)).isEqualTo("RESERVED");
      // the seat is still held: the reconciler's way back to the coupon
      assertThat(stock.holders(runId)).containsKey("handover-buyer");
    } finally {
      jdbc.sql("alter table grab_outbox_away rename to grab_outbox").update();
      jdbc.sql("drop trigger refuse_coupon_release on coupon").update();
    }

    Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                couponStatus(couponId).equals("AVAILABLE")
                    && !stock.holders(runId).containsKey("handover-buyer"));
    Api.Reply again =
        api.post("/api/v1/runs/" + runId + "/grabs", buyer, "{\"couponId\":\"" + couponId + "\"}");
    assertThat(again.status()).as(again.body()).isEqualTo(202);
    JsonNode order =
        api.get("/api/v1/orders/" + again.json().path("orderNo").asString(), buyer).json();
    assertThat(order.path("couponId").asString()).isEqualTo(couponId);
  }

  private String couponStatus(String couponId) {
    return jdbc.sql("select status from coupon where coupon_id = ?")
        .param(couponId)
        .query(String.class)
        .single();
  }
}
