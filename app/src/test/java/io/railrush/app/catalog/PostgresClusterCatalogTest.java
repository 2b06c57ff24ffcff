package io.railrush.app.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import io.railrush.app.testing.Api;
import io.railrush.app.testing.ClusterNode;
import io.railrush.app.testing.TestDatabases;
import io.railrush.kit.testing.RedisServerProcess;
import io.railrush.kit.testing.TestRedis;
import java.time.Duration;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;

@Tag("postgres")
@Tag("redis")
@Tag("rabbitmq")
class PostgresClusterCatalogTest extends ClusterCatalogContract {
  @Override
  protected TestDatabases.Database freshDatabase() {
    return TestDatabases.freshPostgres();
  }

  /**
   * The database gone (its role locked out, every session ended) past a copy's ttl + grace: the
   * stock is still answered from the copy, and says so with {@code "degraded": true}.
   */
  @Test
  void aCopyPastItsGraceIsServedOverHttpMarkedDegradedWhileTheDatabaseIsAway() throws Exception {
    TestDatabases.Database cutOffLater = TestDatabases.asNewPostgresRole(database());
    String role = cutOffLater.username();
    Map<String, String> settings =
        Map.of(
            "railrush.cache.run-stock.ttl", "1s",
            "railrush.cache.run-stock.grace", "1s",
            "railrush.cache.run-stock.max-wait", "300ms",
            "spring.datasource.hikari.connection-timeout", "500");
    try (ClusterNode node =
        ClusterNode.start(
            cutOffLater, TestRedis.URL, TestRedis.uniquePrefix("degraded"), settings)) {
      String runId = node.api().createRun("G105", date(5), "武汉", "长沙南", 321);
      Api.Reply fresh = node.api().get("/api/v1/runs/" + runId + "/stock");
      assertThat(fresh.status()).isEqualTo(200);
      assertThat(fresh.json().path("degraded").asBoolean()).isFalse();

      TestDatabases.postgresAdmin("alter role " + role + " nologin");
      TestDatabases.endPostgresSessions(role);
      Thread.sleep(2_500); // past ttl + grace

      Api.Reply old = node.api().get("/api/v1/runs/" + runId + "/stock");
      assertThat(old.status()).as(old.body()).isEqualTo(200);
      assertThat(old.json().path("remaining").asInt()).isEqualTo(321);
      assertThat(old.json().path("degraded").asBoolean()).isTrue();
    } finally {
      TestDatabases.dropPostgresRole(role);
    }
  }

  /**
   * A run created on one node is known on the other at once, not at its next rebuild of the known
   * ids (here an hour away): the creating node tells the others over Redis.
   */
  @Test
  void aRunCreatedOnOneNodeIsKnownOnTheOtherWithoutWaitingForItsRebuild() {
    Map<String, String> rareRebuilds = Map.of("railrush.catalog.known-ids-refresh", "1h");
    String prefix = TestRedis.uniquePrefix("announce");
    try (ClusterNode a = ClusterNode.start(database(), TestRedis.URL, prefix, rareRebuilds);
        ClusterNode b = ClusterNode.start(database(), TestRedis.URL, prefix, rareRebuilds)) {
      RedisMessageListenerContainer listener =
          b.bean("runCreatedListener", RedisMessageListenerContainer.class);
      Awaitility.await().atMost(Duration.ofSeconds(10)).until(listener::isListening);
      for (int i = 0; i < 5; i++) {
        String runId = a.api().createRun("G11" + i, date(6), "南京南", "合肥南", 100);
        long created = System.nanoTime();
        Awaitility.await()
            .atMost(Duration.ofSeconds(5))
            .pollInterval(Duration.ofMillis(5))
            .until(() -> b.api().get("/api/v1/runs/" + runId).status() == 200);
        System.out.printf(
            "run %s known on the other node after %.1f ms%n",
            runId, (System.nanoTime() - created) / 1e6);
      }
    }
  }

  /**
   * A node started while Redis is away (it starts: the known ids come from the database) begins
   * hearing run announcements once Redis is back, without a restart.
   */
  @Test
  void aNodeStartedWhileRedisIsAwayHearsAnnouncementsOnceItIsBack() throws Exception {
    int port = RedisServerProcess.freePort();
    try (ClusterNode node =
            ClusterNode.start(
                database(),
                "redis://127.0.0.1:" + port,
                TestRedis.uniquePrefix("late-redis"),
                Map.of());
        RedisServerProcess redis = RedisServerProcess.startOn(port)) {
      RedisMessageListenerContainer listener =
          node.bean("runCreatedListener", RedisMessageListenerContainer.class);
      Awaitility.await().atMost(Duration.ofSeconds(30)).until(listener::isListening);
    }
  }
}
