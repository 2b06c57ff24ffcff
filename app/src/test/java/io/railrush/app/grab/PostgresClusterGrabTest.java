package io.railrush.app.grab;

import static org.assertj.core.api.Assertions.assertThat;

import io.railrush.app.testing.Api;
import io.railrush.app.testing.ClusterNode;
import io.railrush.app.testing.FlashSale;
import io.railrush.app.testing.TestDatabases;
import io.railrush.app.testing.TestRabbit;
import io.railrush.app.testing.TestTokens;
import io.railrush.kit.testing.TestRedis;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

@Tag("postgres")
@Tag("redis")
@Tag("rabbitmq")
class PostgresClusterGrabTest extends ClusterGrabContract {

  private static final Duration READ_ONLY = Duration.ofSeconds(60);

  @Override
  protected TestDatabases.Database freshDatabase() {
    return TestDatabases.freshPostgres();
  }

  /**
   * A database that still accepts connections but refuses every write — a standby promoted late, a
   * primary put read-only — for a minute in the middle of a sale: the order writers hold their
   * batches until it takes writes again; no accepted grab is dead-lettered or lost.
   */
  @Test
  void aDatabaseThatRefusesWritesForAMinuteMidSaleLosesNoAcceptedGrab() throws Exception {
    // the nodes log in as a role of their own, so only their sessions turn read-only
    String role = "rr_ro_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    admin("create role " + role + " login superuser");
    TestDatabases.Database readOnlyLater = new TestDatabases.Database(database().url(), role);
    String ownPrefix = TestRedis.uniquePrefix("grab-ro");
    // the reconciler must not be what this test exercises: a long reservation timeout
    Map<String, String> settings = new LinkedHashMap<>(FAST);
    settings.put("railrush.grab.reservation-timeout", "5m");
    try (ClusterNode c = ClusterNode.start(readOnlyLater, TestRedis.URL, ownPrefix, settings);
        ClusterNode d = ClusterNode.start(readOnlyLater, TestRedis.URL, ownPrefix, settings)) {
      List<Api> nodes = List.of(c.api(), d.api());
      String runId = newRun(c.api(), 300);
      awaitRunKnown(nodes, runId);
      long[] readOnlySince = new long[1];
      FlashSale sale =
          new FlashSale(nodes, TestTokens.CLUSTER_SECRET, runId, "read-only-")
              .run(
                  2_000,
                  1,
                  100,
                  100,
                  () -> {
                    admin("alter role " + role + " set default_transaction_read_only = on");
                    terminateSessionsOf(role); // the pools reconnect, read-only
                    readOnlySince[0] = System.nanoTime();
                  });
      long left = READ_ONLY.toNanos() - (System.nanoTime() - readOnlySince[0]);
      if (left > 0) {
        Thread.sleep(left / 1_000_000);
      }
      assertThat(
              c.bean(io.micrometer.core.instrument.MeterRegistry.class)
                      .get("railrush.orders.parked")
                      .gauge()
                      .value()
                  + d.bean(io.micrometer.core.instrument.MeterRegistry.class)
                      .get("railrush.orders.parked")
                      .gauge()
                      .value())
          .as("grabs held while the database refuses writes")
          .isPositive();
      admin("alter role " + role + " reset default_transaction_read_only");
      terminateSessionsOf(role);

      JsonNode audit = sale.awaitSettled(c.api(), Duration.ofSeconds(90));
      assertThat(sale.accepted).as(sale.toString()).hasSize(300);
      assertThat(audit.path("ordersByStatus").path("CREATED").asLong()).isEqualTo(300);
      sale.assertInvariants(audit, ordersOf(runId), 300);
      assertThat(TestRabbit.messagesIn(ClusterNode.busName(ownPrefix) + ".dead")).isZero();
    } finally {
      admin("alter role " + role + " reset default_transaction_read_only");
      terminateSessionsOf(role);
      admin("drop role if exists " + role);
    }
  }

  private void terminateSessionsOf(String role) {
    admin("select pg_terminate_backend(pid) from pg_stat_activity where usename = '" + role + "'");
  }

  private static void admin(String sql) {
    try (Connection c =
            DriverManager.getConnection(TestDatabases.POSTGRES, TestDatabases.POSTGRES_USER, "");
        Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(sql, e);
    }
  }
}
