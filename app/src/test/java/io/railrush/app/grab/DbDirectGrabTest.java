package io.railrush.app.grab;

import static org.assertj.core.api.Assertions.assertThat;

import io.railrush.app.testing.Api;
import io.railrush.app.testing.FlashSale;
import io.railrush.app.testing.TestTokens;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;
import tools.jackson.databind.JsonNode;

/** The naive baseline is slow, not wrong: the database alone still never oversells. */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "spring.datasource.url=jdbc:h2:mem:railrush-db-direct;DB_CLOSE_DELAY=-1",
      "railrush.grab.strategy=db-direct"
    })
@ActiveProfiles("embedded")
class DbDirectGrabTest {

  @LocalServerPort int port;
  @Autowired JdbcClient jdbc;

  @Test
  void fiftySeatsThousandUsersTwoAttemptsEachSellExactlyFiftyCreatedAtOnce() throws Exception {
    Api api = new Api(port);
    String runId =
        api.createRun(
            "G7799",
            LocalDate.now(ZoneId.of("Asia/Shanghai")).plusDays(8).toString(),
            "北京南",
            "天津",
            50);
    FlashSale sale =
        new FlashSale(List.of(api), TestTokens.EMBEDDED_SECRET, runId, "direct-")
            .run(1_000, 2, 64, 0, null);
    JsonNode audit = sale.awaitSettled(api, Duration.ofSeconds(10));
    assertThat(sale.accepted).as(sale.toString()).hasSize(50);
    assertThat(sale.answers.get("409 ALREADY_HOLDING"))
        .isNotNull(); // no per-user window in the baseline
    assertThat(audit.path("ordersByStatus").path("CREATED").asLong()).isEqualTo(50);
    sale.assertInvariants(audit, EmbeddedGrabTest.ordersOf(jdbc, runId), 50);
  }
}
