package io.railrush.app.promo;

import static org.assertj.core.api.Assertions.assertThat;

import io.railrush.app.testing.ClusterNode;
import io.railrush.app.testing.TestDatabases;
import io.railrush.kit.testing.TestRedis;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A coupon reservation that InnoDB picks as a deadlock victim is run again, not answered 503: made
 * here on purpose by another transaction that holds the outbox's insert gap and then asks for the
 * coupon's row while the reservation waits for the gap.
 */
@Tag("mariadb")
@Tag("redis")
@Tag("rabbitmq")
class MariaDbCouponDeadlockTest {

  @Test
  void aReservationChosenAsADeadlockVictimRunsAgainAndHoldsTheCoupon() throws Exception {
    TestDatabases.Database db = TestDatabases.freshMariaDb();
    try (ClusterNode node =
        ClusterNode.start(db, TestRedis.URL, TestRedis.uniquePrefix("coupon-deadlock"), Map.of())) {
      String couponId = node.api().issueCoupon("victim", 200);
      // the relay must not hold or take outbox rows while the two transactions meet
      Awaitility.await().until(() -> unpublished(db) == 0);
      long deadlocksBefore = deadlocks(db);
      try (Connection other = DriverManager.getConnection(db.url(), db.username(), "")) {
        other.setAutoCommit(false);
        try (Statement s = other.createStatement()) {
          // InnoDB rolls back the transaction that changed fewer rows: this one changes 30
          for (int i = 0; i < 30; i++) {
            s.executeUpdate(
                "insert into message_dead_letter (consumer, message_id, message_type, payload,"
                    + " attempts, dead_at_ms) values ('ballast', 'm"
                    + i
                    + "', 't', '{}', 1, 0)");
          }
          s.executeQuery(
                  "select message_id from message_outbox where published_at_ms is null"
                      + " order by created_at_ms for update")
              .close();
        }
        Coupons coupons = node.bean(Coupons.class);
        CompletableFuture<Boolean> reserved =
            CompletableFuture.supplyAsync(
                () -> coupons.reserve(couponId, "victim", "O-deadlock-1"),
                task -> Thread.ofVirtual().start(task));
        Awaitility.await().until(() -> waitingForALock(db));
        try (PreparedStatement takeTheCoupon =
            other.prepareStatement("select status from coupon where coupon_id = ? for update")) {
          takeTheCoupon.setString(1, couponId);
          takeTheCoupon.executeQuery().close(); // the reservation is the victim: this one goes on
        }
        other.rollback();
        assertThat(reserved.get(30, TimeUnit.SECONDS)).isTrue();
        assertThat(deadlocks(db)).as("InnoDB broke one deadlock").isEqualTo(deadlocksBefore + 1);
      }
      try (Connection c = DriverManager.getConnection(db.url(), db.username(), "");
          PreparedStatement s =
              c.prepareStatement("select status, order_no from coupon where coupon_id = ?")) {
        s.setString(1, couponId);
        try (ResultSet rs = s.executeQuery()) {
          assertThat(rs.next()).isTrue();
          assertThat(rs.getString(1)).isEqualTo("RESERVED");
          assertThat(rs.getString(2)).isEqualTo("O-deadlock-1");
        }
      }
    }
  }

  private static long unpublished(TestDatabases.Database db) throws Exception {
    try (Connection c = DriverManager.getConnection(db.url(), db.username(), "");
        ResultSet rs =
            c.createStatement()
                .executeQuery(
                    "select count(*) from message_outbox where published_at_ms is null")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static long deadlocks(TestDatabases.Database db) throws Exception {
    try (Connection c = DriverManager.getConnection(db.url(), db.username(), "");
        ResultSet rs =
            c.createStatement().executeQuery("show global status like 'Innodb_deadlocks'")) {
      rs.next();
      return rs.getLong(2);
    }
  }

  /** Whether a transaction waits for a lock (the reservation, for the outbox's gap). */
  private static boolean waitingForALock(TestDatabases.Database db) throws Exception {
    try (Connection c = DriverManager.getConnection(db.url(), db.username(), "");
        ResultSet rs =
            c.createStatement()
                .executeQuery(
                    "select count(*) from information_schema.innodb_trx"
                        + " where trx_state = 'LOCK WAIT'")) {
      rs.next();
      return rs.getLong(1) > 0;
    }
  }
}
