package io.railrush.app.grab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.railrush.app.testing.Api;
import io.railrush.app.testing.ClusterNode;
import io.railrush.app.testing.Payments;
import io.railrush.app.testing.TestDatabases;
import io.railrush.kit.testing.TestRedis;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A MariaDB database created as the README says ({@code character set utf8mb4}, whose default
 * collation ignores case): users {@code Ann} and {@code ann} are two users, each gets an order on
 * one run, and no grab is stuck behind a key that thinks they are one.
 */
@Tag("mariadb")
@Tag("redis")
@Tag("rabbitmq")
class MariaDbDefaultCollationTest {

  @Test
  void annAndAnnAreTwoUsersOnADatabaseCreatedAsTheReadmeSays() throws Exception {
    String name = "rr_ci_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    try (Connection c =
            DriverManager.getConnection(TestDatabases.MARIADB, TestDatabases.MARIADB_USER, "");
        Statement s = c.createStatement()) {
      s.execute("create database " + name + " character set utf8mb4");
    }
    String base = TestDatabases.MARIADB.substring(0, TestDatabases.MARIADB.lastIndexOf('/') + 1);
    TestDatabases.Database db =
        new TestDatabases.Database(
            base + name + "?useSSL=false&allowPublicKeyRetrieval=true", TestDatabases.MARIADB_USER);
    try (ClusterNode node =
        ClusterNode.start(db, TestRedis.URL, TestRedis.uniquePrefix("collation"), Map.of())) {
      JdbcClient jdbc = node.bean(JdbcClient.class);
      assertThat(
              jdbc.sql(
                      "select collation_name from information_schema.columns where table_schema"
                          + " = database() and table_name = 'ticket_order' and column_name ="
                          + " 'user_id'")
                  .query(String.class)
                  .single())
          .isEqualTo("utf8mb4_bin");

      Api api = node.api();
      String runId = new Payments(api).newRun(5);
      for (String user : new String[] {"Ann", "ann"}) {
        String token = api.login(user);
        Api.Reply grab = api.post("/api/v1/runs/" + runId + "/grabs", token, "");
        assertThat(grab.status()).as(user + ": " + grab.body()).isEqualTo(202);
        String orderNo = grab.json().path("orderNo").asString();
        await()
            .atMost(Duration.ofSeconds(20))
            .until(
                () ->
                    api.get("/api/v1/orders/" + orderNo, token)
                        .json()
                        .path("status")
                        .asString()
                        .equals("CREATED"));
      }
      assertThat(
              jdbc.sql("select count(*) from ticket_order where run_id = ? and status = 'CREATED'")
                  .param(runId)
                  .query(Long.class)
                  .single())
          .isEqualTo(2);
    }
  }
}
