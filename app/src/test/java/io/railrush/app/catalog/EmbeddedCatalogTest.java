package io.railrush.app.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import io.railrush.app.testing.Api;
import io.railrush.app.testing.EmbeddedApiTest;
import java.time.LocalDate;
import java.time.ZoneId;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

@EmbeddedApiTest
class EmbeddedCatalogTest {

  @LocalServerPort int port;
  Api api;

  @BeforeEach
  void connect() {
    api = new Api(port);
  }

  private static String tomorrow() {
    return LocalDate.now(ZoneId.of("Asia/Shanghai")).plusDays(1).toString();
  }

  @Test
  void theSampleTimetableHasAtLeastFiftyRealRuns() {
    Api.Reply reply = api.get("/api/v1/runs?limit=500");
    assertThat(reply.status()).isEqualTo(200);
    JsonNode runs = reply.json().path("runs");
    assertThat(runs.size()).isGreaterThanOrEqualTo(50);
    assertThat(reply.json().path("degraded").asBoolean()).isFalse();
    JsonNode g1 =
        api.get("/api/v1/runs?origin=北京南&destination=上海虹桥&date=" + tomorrow()).json().path("runs");
    assertThat(g1.size()).isGreaterThanOrEqualTo(3);
    assertThat(g1.get(0).path("trainNo").asString()).isEqualTo("G1");
    assertThat(g1.get(0).path("departureTime").asString()).isEqualTo("07:00");
    assertThat(g1.get(0).path("priceCents").asLong()).isPositive();
    // sorted by date and time
    String previous = "";
    for (JsonNode run : runs) {
      String when = run.path("departureDate").asString() + run.path("departureTime").asString();
      assertThat(when).isGreaterThanOrEqualTo(previous);
      previous = when;
    }
  }

  @Test
  void aCreatedRunIsFoundByIdStockAndSearch() {
    Api.Reply created =
        api.post(
            "/api/v1/admin/runs",
            Api.ADMIN_TOKEN,
            """
            {"trainNo":"G7","departureDate":"%s","origin":"北京南","destination":"上海虹桥","departureTime":"09:30","seats":800,"priceCents":55300,"saleOpensAt":"2026-11-24T08:00:00+08:00"}
            """
                .formatted(tomorrow()));
    assertThat(created.status()).isEqualTo(201);
    String runId = created.json().path("runId").asString();
    assertThat(runId).isEqualTo("G7-" + tomorrow().replace("-", ""));
    assertThat(created.raw().headers().firstValue("Location")).hasValue("/api/v1/runs/" + runId);

    JsonNode detail = api.get("/api/v1/runs/" + runId).json();
    assertThat(detail.path("trainNo").asString()).isEqualTo("G7");
    assertThat(detail.path("departureTime").asString()).isEqualTo("09:30");
    assertThat(detail.path("remaining").asInt()).isEqualTo(800);

    Api.Reply stock = api.get("/api/v1/runs/" + runId + "/stock");
    assertThat(stock.status()).isEqualTo(200);
    assertThat(stock.json().path("runId").asString()).isEqualTo(runId);
    assertThat(stock.json().path("remaining").asInt()).isEqualTo(800);
    assertThat(stock.json().path("degraded").asBoolean()).isFalse();
    assertThat(stock.json().path("asOf").asString()).isNotBlank();
  }

  @Test
  void healthAndMetricsAreExposed() {
    api.get("/api/v1/runs/G1-" + tomorrow().replace("-", "") + "/stock");
    Api.Reply health = api.get("/actuator/health");
    assertThat(health.status()).isEqualTo(200);
    assertThat(health.json().path("components").path("db").path("status").asString())
        .isEqualTo("UP");
    String metrics = api.get("/actuator/prometheus").body();
    assertThat(metrics).contains("railrush_cache_loads_total{").contains("cache=\"run-stock\"");
  }
}
