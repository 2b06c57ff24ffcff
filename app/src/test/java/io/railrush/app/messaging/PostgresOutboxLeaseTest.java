package io.railrush.app.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.railrush.app.messaging.OutboxRepository.NewMessage;
import io.railrush.app.testing.ClusterNode;
import io.railrush.app.testing.TestDatabases;
import io.railrush.kit.testing.TestRedis;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The relay's claim on PostgreSQL: relays claiming at once never hold one row together, a relay
 * skips the rows another is claiming instead of waiting for them, and the rows of a relay that died
 * are taken by another once its lease lapses. The node's own relay is kept out of the way by a role
 * it lacks.
 *
 * <p>What each test guards: no double claim comes from the lease condition, which READ COMMITTED
 * re-checks on a row it had to wait for (a plain {@code FOR UPDATE} passes the four-relay test too,
 * checked by mutation); not waiting is what {@code SKIP LOCKED} adds, and the second test fails
 * without it.
 */
@Tag("postgres")
@Tag("redis")
@Tag("rabbitmq")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgresOutboxLeaseTest {

  private ClusterNode node;
  private JdbcClient jdbc;
  private OutboxRepository outbox;

  @BeforeAll
  void start() {
    node =
        ClusterNode.start(
            TestDatabases.freshPostgres(),
            TestRedis.URL,
            TestRedis.uniquePrefix("lease"),
            Map.of("railrush.roles", "web"));
    jdbc = node.bean(JdbcClient.class);
    outbox =
        new OutboxRepository(
            jdbc, node.bean(TransactionTemplate.class), node.bean(DataSource.class));
  }

  @AfterAll
  void stop() {
    node.close();
  }

  @Test
  void fourRelaysClaimingAtOnceNeverHoldOneRowTogether() throws Exception {
    int rows = 2_000;
    List<NewMessage> appended = new ArrayList<>();
    for (int i = 0; i < rows; i++) {
      appended.add(new NewMessage("lease-" + i, "Test", "{}", i));
    }
    outbox.appendAll(appended);
    Map<String, String> claimedBy = new ConcurrentHashMap<>();
    List<String> doubleClaims = Collections.synchronizedList(new ArrayList<>());
    List<Future<Integer>> relays = new ArrayList<>();
    try (ExecutorService threads = Executors.newFixedThreadPool(4)) {
      for (int r = 0; r < 4; r++) {
        String owner = "relay-" + r;
        relays.add(
            threads.submit(
                () -> {
                  int claimed = 0;
                  while (true) {
                    long now = System.currentTimeMillis();
                    List<Message> batch = outbox.claim(owner, now, now + 60_000, 50);
                    if (batch.isEmpty()) {
                      return claimed;
                    }
                    for (Message m : batch) {
                      String before = claimedBy.putIfAbsent(m.id(), owner);
                      if (before != null) {
                        doubleClaims.add(m.id() + " by " + before + " and " + owner);
                      }
                      assertThat(outbox.published(List.of(m.id()), owner, now)).isEqualTo(1);
                    }
                    claimed += batch.size();
                  }
                }));
      }
    }
    int total = 0;
    for (Future<Integer> relay : relays) {
      total += relay.get();
    }
    assertThat(doubleClaims).isEmpty();
    assertThat(total).isEqualTo(rows);
    assertThat(claimedBy).hasSize(rows);
    assertThat(
            jdbc.sql(
                    "select count(*) from message_outbox where published_at_ms is null"
                        + " and message_id like 'lease-%'")
                .query(Long.class)
                .single())
        .isZero();
  }

  /**
   * Another relay's claim transaction is open (its rows locked, not yet leased): a claim returns
   * the other rows at once instead of waiting for that transaction to end.
   */
  @Test
  void aClaimSkipsTheRowsAnotherRelayIsClaimingInsteadOfWaitingForThem() throws Exception {
    List<NewMessage> appended = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      appended.add(new NewMessage("skip-" + i, "Test", "{}", 20_000_000L + i));
    }
    outbox.appendAll(appended);
    DataSource dataSource = node.bean(DataSource.class);
    try (java.sql.Connection claiming = dataSource.getConnection()) {
      claiming.setAutoCommit(false);
      List<String> locked = new ArrayList<>();
      try (java.sql.Statement statement = claiming.createStatement();
          java.sql.ResultSet rows =
              statement.executeQuery(
                  "select message_id from message_outbox where message_id like 'skip-%'"
                      + " order by created_at_ms limit 20 for update")) {
        while (rows.next()) {
          locked.add(rows.getString(1));
        }
      }
      assertThat(locked).hasSize(20);
      try (ExecutorService other = Executors.newSingleThreadExecutor()) {
        long now = System.currentTimeMillis();
        Future<List<Message>> claim =
            other.submit(() -> outbox.claim("not-waiting", now, now + 60_000, 40));
        List<Message> claimed;
        try {
          claimed = claim.get(10, java.util.concurrent.TimeUnit.SECONDS);
        } finally {
          claiming.rollback(); // lets a claim that waited finish, so the executor can close
        }
        List<String> free = new ArrayList<>();
        for (NewMessage m : appended) {
          if (!locked.contains(m.messageId())) {
            free.add(m.messageId());
          }
        }
        assertThat(claimed)
            .extracting(Message::id)
            .containsAll(free)
            .doesNotContainAnyElementsOf(locked);
      }
    } finally {
      // out of the other tests' way: they count every claimable row
      jdbc.sql("update message_outbox set published_at_ms = 0 where message_id like 'skip-%'")
          .update();
    }
  }

  @Test
  void theRowsOfARelayThatDiedAreTakenByAnotherOnceItsLeaseLapses() throws Exception {
    List<NewMessage> appended = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      appended.add(new NewMessage("dead-relay-" + i, "Test", "{}", 10_000_000L + i));
    }
    outbox.appendAll(appended);
    long now = System.currentTimeMillis();
    List<Message> held = outbox.claim("dying", now, now + 1_000, 20);
    assertThat(held).hasSize(20);
    // while the lease runs, the rows are nobody else's
    assertThat(outbox.claim("survivor", now, now + 60_000, 50)).isEmpty();
    // "dying" never marks them; after its lease the survivor takes them all
    long later = now + 1_001;
    List<Message> taken = outbox.claim("survivor", later, later + 60_000, 50);
    assertThat(taken)
        .extracting(Message::id)
        .containsExactlyInAnyOrderElementsOf(held.stream().map(Message::id).toList());
    // the dead relay, were it to wake, can no longer mark them
    List<String> first = List.of(held.getFirst().id());
    assertThat(outbox.published(first, "dying", later)).isZero();
    assertThat(outbox.published(first, "survivor", later)).isEqualTo(1);
  }
}
