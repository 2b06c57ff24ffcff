package io.railrush.app.infra;

import static org.assertj.core.api.Assertions.assertThat;

import io.railrush.app.testing.Api;
import io.railrush.app.testing.ClusterNode;
import io.railrush.app.testing.TestDatabases;
import io.railrush.kit.id.OrderNumberGenerator;
import io.railrush.kit.lock.LockHandle;
import io.railrush.kit.lock.LockService;
import io.railrush.kit.testing.TestRedis;
import io.railrush.kit.testing.TestZooKeeper;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Map;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Each lock backend and worker-id source, wired into a cluster node that serves queries. */
@Tag("postgres")
@Tag("mariadb")
@Tag("redis")
@Tag("rabbitmq")
class CoordinationWiringTest {

  @Test
  void zooKeeperLocksAndWorkerIds() throws Exception {
    try (TestingServer zk = TestZooKeeper.server();
        ClusterNode node =
            ClusterNode.start(
                TestDatabases.freshPostgres(),
                TestRedis.URL,
                TestRedis.uniquePrefix("wiring"),
                Map.of(
                    "railrush.coordination.locks",
                    "zookeeper",
                    "railrush.coordination.worker-ids",
                    "zookeeper",
                    "railrush.coordination.zookeeper.connect",
                    zk.getConnectString()))) {
      assertWired(node, "zookeeper");
      assertThat(
              node.api()
                  .get("/actuator/health")
                  .json()
                  .path("components")
                  .path("zookeeper")
                  .path("status")
                  .asString())
          .isEqualTo("UP");
    }
  }

  @Test
  void databaseLocksAndRedisWorkerIdsOnMariaDb() {
    try (ClusterNode node =
        ClusterNode.start(
            TestDatabases.freshMariaDb(),
            TestRedis.URL,
            TestRedis.uniquePrefix("wiring"),
            Map.of(
                "railrush.coordination.locks",
                "database",
                "railrush.coordination.worker-ids",
                "redis",
                "railrush.coordination.key-prefix",
                "test-" + System.nanoTime()))) {
      assertWired(node, "database");
    }
  }

  private static void assertWired(ClusterNode node, String backend) {
    LockService locks = node.bean(LockService.class);
    try (LockHandle first =
        locks.tryAcquire("wiring", Duration.ofSeconds(5), Duration.ofSeconds(5)).orElseThrow()) {
      assertThat(first.toString()).contains(backend);
      assertThat(locks.tryAcquire("wiring", Duration.ofMillis(100), Duration.ofSeconds(5)))
          .isEmpty();
    }
    OrderNumberGenerator ids = node.bean(OrderNumberGenerator.class);
    assertThat(OrderNumberGenerator.parse(ids.next()))
        .isLessThan(OrderNumberGenerator.parse(ids.next()));
    String date = LocalDate.now(ZoneId.of("Asia/Shanghai")).plusDays(5).toString();
    String runId = node.api().createRun("G555", date, "上海虹桥", "杭州东", 556);
    Api.Reply stock = node.api().get("/api/v1/runs/" + runId + "/stock");
    assertThat(stock.status()).isEqualTo(200);
    assertThat(stock.json().path("remaining").asInt()).isEqualTo(556);
  }
}
