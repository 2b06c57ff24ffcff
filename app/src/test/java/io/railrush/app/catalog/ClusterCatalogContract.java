package io.railrush.app.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import io.railrush.app.testing.Api;
import io.railrush.app.testing.ClusterNode;
import io.railrush.app.testing.TestDatabases;
import io.railrush.kit.testing.RedisServerProcess;
import io.railrush.kit.testing.TestRedis;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;

/**
 * Two cluster nodes on one real database and the machine's Redis. Subclasses say which database.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ClusterCatalogContract {

  private static final Duration TTL = Duration.ofSeconds(1);

  protected abstract TestDatabases.Database freshDatabase();

  private TestDatabases.Database db;
  private ClusterNode nodeA;
  private ClusterNode nodeB;

  @BeforeAll
  void startTwoNodes() {
    db = freshDatabase();
    String prefix = TestRedis.uniquePrefix("cluster");
    Map<String, String> settings = Map.of("railrush.cache.run-stock.ttl", TTL.toSeconds() + "s");
    nodeA = ClusterNode.start(db, TestRedis.URL, prefix, settings);
    nodeB = ClusterNode.start(db, TestRedis.URL, prefix, settings);
  }

  protected TestDatabases.Database database() {
    return db;
  }

  protected static String date(int daysAhead) {
    return LocalDate.now(ZoneId.of("Asia/Shanghai")).plusDays(daysAhead).toString();
  }

  @AfterAll
  void stopNodes() {
    nodeA.close();
    nodeB.close();
  }

  @Test
  void aRunCreatedOnOneNodeIsServedByTheOther() {
    String runId = nodeA.api().createRun("G101", date(2), "北京南", "上海虹桥", 1193);
    Awaitility.await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> nodeB.api().get("/api/v1/runs/" + runId).status() == 200);
    JsonNode detail = nodeB.api().get("/api/v1/runs/" + runId).json();
    assertThat(detail.path("origin").asString()).isEqualTo("北京南");
    assertThat(detail.path("destination").asString()).isEqualTo("上海虹桥");
    assertThat(detail.path("remaining").asInt()).isEqualTo(1193);
    JsonNode found = nodeB.api().get("/api/v1/runs?origin=北京南&date=" + date(2)).json().path("runs");
    assertThat(found).anySatisfy(run -> assertThat(run.path("runId").asString()).isEqualTo(runId));
    assertThat(nodeA.api().createRun("G102", date(2), "上海虹桥", "北京南", 10))
        .isEqualTo("G102-" + date(2).replace("-", ""));
    Api.Reply duplicate =
        nodeB
            .api()
            .post(
                "/api/v1/admin/runs",
                Api.ADMIN_TOKEN,
                "{\"trainNo\":\"G101\",\"departureDate\":\""
                    + date(2)
                    + "\",\"origin\":\"a\",\"destination\":\"b\",\"departureTime\":\"08:00\",\"seats\":1,\"priceCents\":1}");
    assertThat(duplicate.status()).isEqualTo(409);
  }

  @Test
  void aHotRunHammeredOnTwoNodesCostsAboutOneLoadPerExpiry() throws Exception {
    String runId = nodeA.api().createRun("G103", date(3), "广州南", "深圳北", 556);
    Awaitility.await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> nodeB.api().get("/api/v1/runs/" + runId).status() == 200);
    double loadsBefore = nodeA.cacheLoads("run-stock") + nodeB.cacheLoads("run-stock");
    Duration hammer = Duration.ofSeconds(4);
    ConcurrentLinkedQueue<Integer> statuses = new ConcurrentLinkedQueue<>();
    AtomicBoolean running = new AtomicBoolean(true);
    CountDownLatch start = new CountDownLatch(1);
    int clients = 100;
    try (ExecutorService pool = Executors.newFixedThreadPool(clients)) {
      List<Future<?>> readers = new ArrayList<>();
      for (int c = 0; c < clients; c++) {
        Api api = (c % 2 == 0 ? nodeA : nodeB).api();
        readers.add(
            pool.submit(
                () -> {
                  start.await();
                  while (running.get()) {
                    statuses.add(api.get("/api/v1/runs/" + runId + "/stock").status());
                  }
                  return null;
                }));
      }
      start.countDown();
      Thread.sleep(hammer.toMillis());
      running.set(false);
      for (Future<?> reader : readers) {
        reader.get(30, TimeUnit.SECONDS);
      }
    }
    double loads = nodeA.cacheLoads("run-stock") + nodeB.cacheLoads("run-stock") - loadsBefore;
    assertThat(statuses).hasSizeGreaterThan(clients).allSatisfy(s -> assertThat(s).isEqualTo(200));
    // fresh for 0.8–1 s after each load: at most one load per expiry across both nodes
    long expiries = hammer.toMillis() / (TTL.toMillis() * 8 / 10) + 2;
    assertThat(loads)
        .as(
            "database loads for %d requests; A: %s; B: %s",
            statuses.size(), nodeA.cacheCounters("run-stock"), nodeB.cacheCounters("run-stock"))
        .isBetween(1.0, (double) expiries);
  }

  @Test
  void aNodeWhoseRedisIsUnreachableStartsAndKeepsAnswering() throws Exception {
    String runId = nodeA.api().createRun("G104", date(4), "成都东", "重庆北", 556);
    String refusing = "redis://127.0.0.1:" + RedisServerProcess.freePort();
    try (ClusterNode orphan =
        ClusterNode.start(db, refusing, TestRedis.uniquePrefix("orphan"), Map.of())) {
      for (int i = 0; i < 50; i++) {
        Api.Reply stock = orphan.api().get("/api/v1/runs/" + runId + "/stock");
        assertThat(stock.status()).isEqualTo(200);
        assertThat(stock.json().path("remaining").asInt()).isEqualTo(556);
      }
      JsonNode health = orphan.api().get("/actuator/health").json();
      assertThat(health.path("components").path("redis").path("status").asString())
          .isEqualTo("DOWN");
      assertThat(health.path("components").path("db").path("status").asString()).isEqualTo("UP");
    }
  }
}
