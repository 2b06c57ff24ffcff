package io.railrush.app.order;

import static org.assertj.core.api.Assertions.assertThat;

import io.railrush.app.testing.Api;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;

/**
 * The writer's last guard against two active orders of one user on one run: it looks up, per batch,
 * which of the batch's users already hold an order on that run — and only on that run.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "spring.datasource.url=jdbc:h2:mem:railrush-writer-holders;DB_CLOSE_DELAY=-1")
@ActiveProfiles("embedded")
class OrderWriterHoldersTest {

  @LocalServerPort int port;
  @Autowired OrderIntake intake;
  @Autowired OrderRepository orders;

  @Test
  void aUserHoldingAnOrderOnARunIsRefusedThereAndOnlyThere() {
    Api api = new Api(port);
    String date = LocalDate.now(ZoneId.of("Asia/Shanghai")).plusDays(9).toString();
    String runA = api.createRun("G7901", date, "北京南", "天津", 100);
    String runB = api.createRun("G7902", date, "北京南", "天津", 100);
    List<OrderRequest> first = new ArrayList<>();
    for (int u = 0; u < 40; u++) {
      first.add(request("hold-a-" + u, runA, "user-" + u));
    }
    first.add(request("hold-b-0", runB, "user-40"));
    intake.write(first);

    // users 0..39 again on run A (refused), on run B (written), and user-40 on run A (written:
    // holding on run B says nothing about run A)
    List<OrderRequest> second = new ArrayList<>();
    for (int u = 0; u < 40; u++) {
      second.add(request("again-a-" + u, runA, "user-" + u));
      second.add(request("then-b-" + u, runB, "user-" + u));
    }
    second.add(request("b-holder-on-a", runA, "user-40"));
    intake.write(second);

    Map<String, String> holdersA = orders.activeHolders(runA);
    Map<String, String> holdersB = orders.activeHolders(runB);
    assertThat(holdersA).hasSize(41).containsEntry("user-40", "b-holder-on-a");
    for (int u = 0; u < 40; u++) {
      assertThat(holdersA).containsEntry("user-" + u, "hold-a-" + u);
      assertThat(holdersB).containsEntry("user-" + u, "then-b-" + u);
      assertThat(orders.find("again-a-" + u))
          .get()
          .satisfies(
              o -> {
                assertThat(o.status()).isEqualTo(OrderStatus.FAILED);
                assertThat(o.failureReason()).isEqualTo("already holds an order on this run");
              });
    }
    assertThat(holdersB).hasSize(41).containsEntry("user-40", "hold-b-0");
  }

  private static OrderRequest request(String orderNo, String runId, String userId) {
    return new OrderRequest(orderNo, runId, userId, 100, null, System.currentTimeMillis());
  }
}
