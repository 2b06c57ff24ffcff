package io.railrush.app.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.railrush.app.testing.ClusterNode;
import io.railrush.app.testing.TestDatabases;
import io.railrush.app.testing.TestRabbit;
import io.railrush.kit.testing.ChildJvm;
import io.railrush.kit.testing.TestRedis;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.TopicExchange;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

/**
 * A relay JVM SIGKILLed while it holds a claimed batch (frozen first with SIGSTOP, so the test sees
 * the batch it dies with): another relay, started afterwards, sends those rows once the dead one's
 * lease lapses, and every outbox row reaches the broker.
 */
@Tag("postgres")
@Tag("redis")
@Tag("rabbitmq")
class RelayKilledMidBatchTest {

  private static final int ROWS = 5_000;

  @Test
  void aRelayKilledMidBatchLeavesItsRowsToAnotherOnceItsLeaseLapses() throws Exception {
    TestDatabases.Database db = TestDatabases.freshPostgres(); // its outbox holds only these rows
    String prefix = TestRedis.uniquePrefix("relay-kill");
    String exchange = ClusterNode.busName(prefix) + ".events";
    String everything = exchange + ".audit";
    Map<String, String> relay = new LinkedHashMap<>();
    relay.put("railrush.messaging.lease", "3s");
    CachingConnectionFactory broker = new CachingConnectionFactory("127.0.0.1", 5672);
    RabbitAdmin admin = new RabbitAdmin(broker);
    Path logs = Files.createTempDirectory("railrush-relay-kill");
    try {
      try (ClusterNode schema = ClusterNode.start(db, TestRedis.URL, prefix, Map.of())) {
        // the schema, migrated; the rows go in once this node (and its relay) is gone
      }
      TopicExchange events = new TopicExchange(exchange, true, false);
      Queue audit = new Queue(everything, true, false, false);
      admin.declareExchange(events);
      admin.declareQueue(audit);
      admin.declareBinding(BindingBuilder.bind(audit).to(events).with("#"));
      Set<String> written = appendProbes(db);

      List<String> held;
      try (ChildJvm dying =
          ClusterNode.startJvm(db, prefix, "sweeper", relay, logs.resolve("dying.log"), false)) {
        held = heldOnceFrozenMidBatch(db, dying);
        dying.kill();
      }
      assertThat(held).as("rows the killed relay had claimed and not marked").isNotEmpty();

      try (ClusterNode survivor =
          ClusterNode.start(db, TestRedis.URL, prefix, withRole(relay, "sweeper"))) {
        Awaitility.await()
            .atMost(Duration.ofSeconds(90))
            .pollInterval(Duration.ofMillis(500))
            .until(
                () ->
                    count(db, "select count(*) from message_outbox where published_at_ms is null")
                        == 0);
      }
      Set<String> received = new HashSet<>();
      RabbitTemplate reader = new RabbitTemplate(broker);
      Message message;
      while ((message = reader.receive(everything, 1_000)) != null) {
        received.add(message.getMessageProperties().getMessageId());
      }
      assertThat(received).containsAll(held);
      assertThat(received).isEqualTo(written);
    } finally {
      admin.deleteQueue(everything);
      broker.destroy();
      TestRabbit.deleteBus(ClusterNode.busName(prefix));
    }
  }

  private static Map<String, String> withRole(Map<String, String> settings, String roles) {
    Map<String, String> with = new LinkedHashMap<>(settings);
    with.put("railrush.roles", roles);
    return with;
  }

  private static Set<String> appendProbes(TestDatabases.Database db) throws Exception {
    Set<String> ids = new HashSet<>();
    try (Connection c = DriverManager.getConnection(db.url(), db.username(), "");
        PreparedStatement insert =
            c.prepareStatement(
                "insert into message_outbox (message_id, message_type, payload, created_at_ms)"
                    + " values (?, 'RelayProbe', '{}', ?)")) {
      for (int i = 0; i < ROWS; i++) {
        String id = "probe-" + i;
        insert.setString(1, id);
        insert.setLong(2, System.currentTimeMillis());
        insert.addBatch();
        ids.add(id);
      }
      insert.executeBatch();
    }
    return ids;
  }

  /**
   * Waits for the relay to hold a claimed batch, freezes it (SIGSTOP) and reads what it holds; a
   * freeze that falls between two batches is undone and tried again.
   */
  private static List<String> heldOnceFrozenMidBatch(TestDatabases.Database db, ChildJvm relay)
      throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (System.nanoTime() < deadline) {
      if (count(db, "select count(*) from message_outbox where lease_owner is not null") > 0) {
        relay.signal("STOP");
        List<String> held = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(db.url(), db.username(), "");
            PreparedStatement s =
                c.prepareStatement(
                    "select message_id from message_outbox"
                        + " where lease_owner is not null and published_at_ms is null")) {
          try (ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
              held.add(rs.getString(1));
            }
          }
        }
        if (!held.isEmpty()) {
          return held;
        }
        relay.signal("CONT");
      }
      Thread.sleep(5);
    }
    throw new AssertionError("the relay never held a batch");
  }

  private static long count(TestDatabases.Database db, String sql) throws Exception {
    try (Connection c = DriverManager.getConnection(db.url(), db.username(), "");
        PreparedStatement s = c.prepareStatement(sql);
        ResultSet rs = s.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
