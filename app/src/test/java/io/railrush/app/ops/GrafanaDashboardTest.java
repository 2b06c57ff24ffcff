package io.railrush.app.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.railrush.app.testing.Api;
import io.railrush.app.testing.ClusterNode;
import io.railrush.app.testing.TestDatabases;
import io.railrush.app.testing.TestRabbit;
import io.railrush.kit.testing.TestRedis;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Every metric the Grafana dashboard (deploy/grafana) queries is exported by a cluster node (the
 * nodes the dashboard is for; some series, such as the parked orders, exist only there).
 */
@Tag("postgres")
@Tag("redis")
@Tag("rabbitmq")
class GrafanaDashboardTest {

  private static final Path DASHBOARD = Path.of("..", "deploy", "grafana", "railrush.json");
  private static final Set<String> PROMQL_WORDS =
      Set.of("sum", "max", "min", "avg", "count", "rate", "irate", "increase", "by", "without");
  private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");

  @Test
  void everyQueriedMetricExists() throws IOException {
    JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());
    Set<String> queried = new TreeSet<>();
    for (JsonNode panel : dashboard.path("panels")) {
      for (JsonNode target : panel.path("targets")) {
        queried.addAll(metricNames(target.path("expr").asString()));
      }
    }
    assertThat(queried).as("the dashboard queries metrics").hasSizeGreaterThan(10);

    String prefix = TestRedis.uniquePrefix("grafana");
    try (ClusterNode node =
        ClusterNode.start(TestDatabases.freshPostgres(), TestRedis.URL, prefix, Map.of())) {
      Api api = node.api();
      api.get("/api/v1/ping"); // http_server_requests appears with the first request
      // a timer with tags appears with its first event: lock waits with the sweepers' first turn
      Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(() -> assertThat(exportedNames(api)).containsAll(queried));
    } finally {
      TestRabbit.deleteBus(ClusterNode.busName(prefix));
    }
  }

  private static Set<String> exportedNames(Api api) {
    Set<String> names = new TreeSet<>();
    api.get("/actuator/prometheus")
        .body()
        .lines()
        .filter(l -> !l.startsWith("#") && !l.isBlank())
        .forEach(l -> names.add(l.split("[{ ]", 2)[0]));
    return names;
  }

  /** The metric names of a PromQL expression: what is left once labels, ranges and words go. */
  static Set<String> metricNames(String expr) {
    String bare =
        expr.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"")
            .replaceAll("\\{[^}]*}", " ")
            .replaceAll("\\[[^]]*]", " ")
            .replaceAll("(by|without)\\s*\\([^)]*\\)", " ");
    Set<String> names = new TreeSet<>();
    Matcher m = NAME.matcher(bare);
    while (m.find()) {
      if (!PROMQL_WORDS.contains(m.group())) {
        names.add(m.group());
      }
    }
    return names;
  }

  @Test
  void metricNamesAreReadFromPromQl() {
    assertThat(
            metricNames(
                "sum by (status) (rate(http_server_requests_seconds_count{status=~\"429|503\"}[1m]))"))
        .containsExactly("http_server_requests_seconds_count");
    assertThat(
            metricNames(
                "sum(rate(http_server_requests_seconds_sum{uri=\"/api/v1/runs/{runId}/grabs\"}[1m]))"))
        .containsExactly("http_server_requests_seconds_sum");
    assertThat(metricNames("max(railrush_grabs_queued) / sum(railrush_orders_parked)"))
        .containsExactly("railrush_grabs_queued", "railrush_orders_parked");
  }
}
