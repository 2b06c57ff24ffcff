package io.railrush.app.order;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.railrush.app.testing.Api;
import io.railrush.app.testing.TestTokens;
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

/** An unpaid order is cancelled when its payment window ends, and its seat can be grabbed again. */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "spring.datasource.url=jdbc:h2:mem:railrush-payment-window;DB_CLOSE_DELAY=-1",
      "railrush.order.payment-window=2s",
      "railrush.order.payment-grace=1s",
      "railrush.order.sweep-every=200ms",
      "railrush.grab.sold-out-memory=100ms"
    })
@ActiveProfiles("embedded")
class PaymentWindowTest {

  @LocalServerPort int port;
  @Autowired MeterRegistry meters;

  @Test
  void anUnpaidOrderIsCancelledAfterTheWindowAndItsSeatSoldAgain() {
    Api api = new Api(port);
    String date = LocalDate.now(ZoneId.of("Asia/Shanghai")).plusDays(6).toString();
    String runId = api.createRun("G7777", date, "北京南", "天津", 1);
    String first = TestTokens.valid(TestTokens.EMBEDDED_SECRET, "slow-payer");
    String orderNo =
        api.post("/api/v1/runs/" + runId + "/grabs", first, "").json().path("orderNo").asString();
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                api.get("/api/v1/orders/" + orderNo, first)
                    .json()
                    .path("status")
                    .asString()
                    .equals("CREATED"));
    String second = TestTokens.valid(TestTokens.EMBEDDED_SECRET, "next-in-line");
    assertThat(api.post("/api/v1/runs/" + runId + "/grabs", second, "").code())
        .isEqualTo("SOLD_OUT");

    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                api.get("/api/v1/orders/" + orderNo, first)
                    .json()
                    .path("status")
                    .asString()
                    .equals("CANCELLED"));
    JsonNode order = api.get("/api/v1/orders/" + orderNo, first).json();
    assertThat(order.path("failureReason").asString()).isEqualTo("payment window expired");
    // the seat came back once: a second give-back would be counted, not absorbed at zero
    assertThat(meters.get("railrush.seats.ledger.breaches").counter().count()).isZero();
    assertThat(
            api.get("/api/v1/admin/runs/" + runId + "/audit", Api.ADMIN_TOKEN)
                .json()
                .path("sold")
                .asInt())
        .isZero();

    // the seat is grabbable again (a third user: the second is inside its one-attempt window)
    String third = TestTokens.valid(TestTokens.EMBEDDED_SECRET, "third");
    Api.Reply again = api.post("/api/v1/runs/" + runId + "/grabs", third, "");
    assertThat(again.status()).as(again.body()).isEqualTo(202);
    String secondOrder = again.json().path("orderNo").asString();
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                api.get("/api/v1/orders/" + secondOrder, third)
                    .json()
                    .path("status")
                    .asString()
                    .equals("CREATED"));
  }
}
