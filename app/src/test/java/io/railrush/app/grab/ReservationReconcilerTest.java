package io.railrush.app.grab;

import static org.assertj.core.api.Assertions.assertThat;

import io.railrush.app.promo.Coupons;
import io.railrush.app.testing.Api;
import io.railrush.app.testing.TestTokens;
import io.railrush.kit.id.OrderNumberGenerator;
import io.railrush.kit.stock.ReserveResult;
import io.railrush.kit.stock.StockReservations;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import tools.jackson.databind.JsonNode;

/**
 * A reservation whose grab never reached the bus (its node died between reserving and publishing)
 * is returned by the reconciler, and the seat is sold to someone else.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "spring.datasource.url=jdbc:h2:mem:railrush-reconciler;DB_CLOSE_DELAY=-1",
      "railrush.grab.reservation-timeout=1s",
      "railrush.grab.reconcile-every=200ms",
      "railrush.grab.sold-out-memory=100ms"
    })
@ActiveProfiles("embedded")
class ReservationReconcilerTest {

  @LocalServerPort int port;
  @Autowired StockReservations stock;
  @Autowired OrderNumberGenerator orderNumbers;
  @Autowired Coupons coupons;

  @Test
  void aReservationThatNeverBecameAnOrderIsReturnedAndSoldAgain() {
    Api api = new Api(port);
    String runId = runWithStockLoadedBy(api, "G7788", 1, "first");
    String first = TestTokens.valid(TestTokens.EMBEDDED_SECRET, "first");
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                api.get("/api/v1/admin/runs/" + runId + "/audit", Api.ADMIN_TOKEN)
                        .json()
                        .path("sold")
                        .asInt()
                    == 1);
    new Api(port)
        .post(
            "/api/v1/orders/"
                + api.get("/api/v1/orders", first)
                    .json()
                    .path("orders")
                    .get(0)
                    .path("orderNo")
                    .asString()
                + "/cancel",
            first,
            "");

    // a node reserves the freed seat, then dies before publishing: no message, no order
    Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> stock.remaining(runId) == 1);
    ReserveResult ghost = stock.reserve(runId, "ghost", orderNumbers.next());
    assertThat(ghost.outcome()).isEqualTo(ReserveResult.Outcome.RESERVED);
    String late = TestTokens.valid(TestTokens.EMBEDDED_SECRET, "late");
    assertThat(api.post("/api/v1/runs/" + runId + "/grabs", late, "").code()).isEqualTo("SOLD_OUT");

    // past the reservation timeout the reconciler gives the seat back, and it sells
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> stock.remaining(runId) == 1);
    assertThat(stock.holders(runId)).doesNotContainKey("ghost");
    String next = TestTokens.valid(TestTokens.EMBEDDED_SECRET, "next");
    assertThat(api.post("/api/v1/runs/" + runId + "/grabs", next, "").status()).isEqualTo(202);
  }

  @Test
  void theCouponOfAGrabThatNeverBecameAnOrderIsAvailableAgainWithItsSeat() {
    Api api = new Api(port);
    String runId = runWithStockLoadedBy(api, "G7789", 5, "coupon-loader");
    String couponId = api.issueCoupon("coupon-ghost", 500);
    String ghostToken = TestTokens.valid(TestTokens.EMBEDDED_SECRET, "coupon-ghost");

    // a node reserves the seat and the coupon, then dies before publishing
    String orderNo = orderNumbers.next();
    assertThat(coupons.reserve(couponId, "coupon-ghost", orderNo)).isTrue();
    assertThat(stock.reserve(runId, "coupon-ghost", orderNo).outcome())
        .isEqualTo(ReserveResult.Outcome.RESERVED);
    assertThat(couponStatus(api, ghostToken, couponId)).isEqualTo("RESERVED");

    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> !stock.holders(runId).containsKey("coupon-ghost"));
    Awaitility.await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> couponStatus(api, ghostToken, couponId).equals("AVAILABLE"));
    // and it can be used again
    Api.Reply again =
        api.post(
            "/api/v1/runs/" + runId + "/grabs", ghostToken, "{\"couponId\":\"" + couponId + "\"}");
    assertThat(again.status()).as(again.body()).isEqualTo(202);
  }

  /**
   * A grab's hand-over surely failed and its seat was returned, but the release of its coupon
   * failed: no seat hold leads to the coupon any more. Once the grab is overdue the reconciler
   * releases the coupon, and a later grab can use it (before: 409 COUPON_UNAVAILABLE for ever). A
   * coupon held as long by an order that exists is left alone.
   */
  @Test
  void aCouponWhoseReleaseFailedAfterItsSeatWasReturnedIsReleasedOnceItsGrabIsOverdue() {
    Api api = new Api(port);
    String runId = runWithStockLoadedBy(api, "G7790", 5, "stranded-loader");
    String keeperCoupon = api.issueCoupon("coupon-keeper", 300);
    String keeper = TestTokens.valid(TestTokens.EMBEDDED_SECRET, "coupon-keeper");
    Api.Reply kept =
        api.post(
            "/api/v1/runs/" + runId + "/grabs", keeper, "{\"couponId\":\"" + keeperCoupon + "\"}");
    assertThat(kept.status()).as(kept.body()).isEqualTo(202);

    String couponId = api.issueCoupon("coupon-stranded", 500);
    String token = TestTokens.valid(TestTokens.EMBEDDED_SECRET, "coupon-stranded");
    String orderNo = orderNumbers.next();
    assertThat(coupons.reserve(couponId, "coupon-stranded", orderNo)).isTrue();
    assertThat(stock.holders(runId)).doesNotContainKey("coupon-stranded");

    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> couponStatus(api, token, couponId).equals("AVAILABLE"));
    assertThat(couponStatus(api, keeper, keeperCoupon)).isEqualTo("RESERVED");
    Api.Reply again =
        api.post("/api/v1/runs/" + runId + "/grabs", token, "{\"couponId\":\"" + couponId + "\"}");
    assertThat(again.status()).as(again.body()).isEqualTo(202);
  }

  /**
   * A run a week ahead whose stock is loaded by {@code user}'s grab (accepted: it holds a seat).
   */
  private static String runWithStockLoadedBy(Api api, String trainNo, int seats, String user) {
    String runId =
        api.createRun(
            trainNo,
            LocalDate.now(ZoneId.of("Asia/Shanghai")).plusDays(7).toString(),
            "上海虹桥",
            "杭州东",
            seats);
    String token = TestTokens.valid(TestTokens.EMBEDDED_SECRET, user);
    assertThat(api.post("/api/v1/runs/" + runId + "/grabs", token, "").status()).isEqualTo(202);
    return runId;
  }

  private static String couponStatus(Api api, String token, String couponId) {
    for (JsonNode coupon : api.get("/api/v1/me/coupons", token).json().path("coupons")) {
      if (coupon.path("couponId").asString().equals(couponId)) {
        return coupon.path("status").asString();
      }
    }
    return "absent";
  }
}
