package io.railrush.app.payment;

import io.railrush.app.infra.KeyLookups;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The {@code payment_notification} table: every verified notification, recorded once per (provider,
 * notification id) before the provider is answered, then settled asynchronously. The inbox, not the
 * bus, is the record: a notification whose wake-up message is lost is found here.
 */
@Repository
class PaymentNotificationInbox {

  /** A recorded notification. */
  record Recorded(
      VerifiedNotification notification,
      Instant receivedAt,
      SettlementOutcome outcome,
      String reason,
      Instant settledAt) {
    boolean settled() {
      return settledAt != null;
    }
  }

  /** The key a bus carries. */
  record Key(Provider provider, String notifyId) {
    static Key of(VerifiedNotification n) {
      return new Key(n.provider(), n.notifyId());
    }
  }

  private static final String COLUMNS =
      "provider, notify_id, out_trade_no, transaction_id, amount_cents, trade_state, merchant_id,"
          + " app_id, payload, received_at_ms, outcome, reason, settled_at_ms";

  private static final String INSERT =
      "insert into payment_notification (provider, notify_id, out_trade_no, transaction_id,"
          + " amount_cents, trade_state, merchant_id, app_id, payload, received_at_ms)"
          + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

  private static final Comparator<VerifiedNotification> INSERT_ORDER =
      Comparator.comparing(VerifiedNotification::provider)
          .thenComparing(VerifiedNotification::notifyId);

  private final JdbcClient jdbc;
  private final JdbcTemplate batches;
  private final TransactionTemplate transactions;

  PaymentNotificationInbox(
      JdbcClient jdbc, JdbcTemplate batches, TransactionTemplate transactions) {
    this.jdbc = jdbc;
    this.batches = batches;
    this.transactions = transactions;
  }

  /** A verified notification and the instant its request arrived. */
  record Arrival(VerifiedNotification notification, Instant arrivedAt) {}

  /**
   * Records a batch durably in one transaction; for each notification, in order, whether it is new
   * (false: recorded before, or earlier in this batch — a retry). Each is recorded with the instant
   * its request arrived.
   *
   * <p>Before anything is inserted, the transaction stamps the notified payments' rows (and so
   * holds their row locks until it commits). The payment-window sweeper locks an order's payment
   * rows before it looks for a notification and cancels: a notification being recorded either holds
   * its payment's row first, so the sweeper waits for its commit and sees it, or reaches the row
   * after the cancel committed — see {@link UnsettledPayments}.
   */
  List<Boolean> recordAll(List<Arrival> batch) {
    try {
      return transactions.execute(tx -> insertNew(batch));
    } catch (DuplicateKeyException | PessimisticLockingFailureException raced) {
      // another node recorded one of these between the read and the insert, or was inserting the
      // same ones at once (InnoDB may call that a deadlock): one at a time, each answering for
      // itself
      return batch.stream().map(this::recordOne).toList();
    }
  }

  private List<Boolean> insertNew(List<Arrival> batch) {
    markNotified(batch);
    Set<Key> known = new HashSet<>(recorded(batch.stream().map(Arrival::notification).toList()));
    List<Boolean> fresh = new ArrayList<>(batch.size());
    List<Arrival> inserts = new ArrayList<>(batch.size());
    for (Arrival arrival : batch) {
      boolean isNew = known.add(Key.of(arrival.notification()));
      fresh.add(isNew);
      if (isNew) {
        inserts.add(arrival);
      }
    }
    // in key order, so two nodes inserting overlapping batches take their row locks in one order
    inserts.sort(Comparator.comparing(Arrival::notification, INSERT_ORDER));
    batches.batchUpdate(
        INSERT,
        inserts,
        inserts.size(),
        (statement, arrival) -> bind(statement, arrival.notification(), arrival.arrivedAt()));
    return fresh;
  }

  /**
   * Stamps the notified payments (in key order: two batches lock them in one order), which locks
   * their rows for the rest of the transaction. An update per key in one JDBC batch, not a locking
   * {@code select … in (…)}: each is planned as a primary-key lookup whatever PostgreSQL's cached
   * plan knew of the table (see {@link KeyLookups}), and an unknown trade simply matches no row.
   */
  private void markNotified(List<Arrival> batch) {
    TreeMap<String, Long> trades = new TreeMap<>();
    for (Arrival arrival : batch) {
      trades.merge(
          arrival.notification().outTradeNo(), arrival.arrivedAt().toEpochMilli(), Math::max);
    }
    batches.batchUpdate(
        "update payment set notified_at_ms = ? where out_trade_no = ?",
        List.copyOf(trades.entrySet()),
        trades.size(),
        (statement, trade) -> {
          statement.setLong(1, trade.getValue());
          statement.setString(2, trade.getKey());
        });
  }

  /** Which of these are in the table already (by whole primary key: {@link KeyLookups}). */
  private List<Key> recorded(List<VerifiedNotification> batch) {
    return KeyLookups.find(
        jdbc,
        "select provider, notify_id from payment_notification where ",
        "provider = ? and notify_id = ?",
        batch.stream().map(n -> new Object[] {n.provider().name(), n.notifyId()}).toList(),
        (rs, n) -> new Key(Provider.valueOf(rs.getString(1)), rs.getString(2)));
  }

  /**
   * Records one durably, as {@link #recordAll} does a batch: true when new, false when recorded
   * before (a retry).
   */
  boolean recordOne(Arrival arrival) {
    try {
      transactions.executeWithoutResult(
          tx -> {
            markNotified(List.of(arrival));
            batches.update(
                INSERT, statement -> bind(statement, arrival.notification(), arrival.arrivedAt()));
          });
      return true;
    } catch (DuplicateKeyException recordedBefore) {
      return false;
    }
  }

  private static void bind(PreparedStatement statement, VerifiedNotification n, Instant at)
      throws SQLException {
    statement.setString(1, n.provider().name());
    statement.setString(2, n.notifyId());
    statement.setString(3, n.outTradeNo());
    statement.setString(4, n.transactionId());
    statement.setLong(5, n.amountCents());
    statement.setString(6, n.state().name());
    statement.setString(7, n.merchantId());
    statement.setString(8, n.appId());
    statement.setString(9, truncate(n.payload(), 4000));
    statement.setLong(10, at.toEpochMilli());
  }

  Optional<Recorded> find(Key key) {
    return jdbc.sql(
            "select " + COLUMNS + " from payment_notification where provider = ? and notify_id = ?")
        .params(key.provider().name(), key.notifyId())
        .query(PaymentNotificationInbox::map)
        .optional();
  }

  /** Marks it settled, once: false when another settler got there first. */
  boolean settle(Key key, SettlementOutcome outcome, String reason, Instant at) {
    return jdbc.sql(
                "update payment_notification set outcome = ?, reason = ?, settled_at_ms = ?"
                    + " where provider = ? and notify_id = ? and settled_at_ms is null")
            .params(
                outcome.name(),
                truncate(reason, 200),
                at.toEpochMilli(),
                key.provider().name(),
                key.notifyId())
            .update()
        == 1;
  }

  /** Counts one failed settlement; the failures so far. */
  int countAttempt(Key key) {
    jdbc.sql(
            "update payment_notification set attempts = attempts + 1 where provider = ? and notify_id = ?")
        .params(key.provider().name(), key.notifyId())
        .update();
    return jdbc.sql(
            "select attempts from payment_notification where provider = ? and notify_id = ?")
        .params(key.provider().name(), key.notifyId())
        .query(Integer.class)
        .optional()
        .orElse(0);
  }

  /**
   * Unsettled notifications received before {@code before}: fewest failed attempts first, then
   * oldest, so a notification that keeps failing never holds back newer ones.
   */
  List<Key> unsettled(Instant before, int limit) {
    return jdbc.sql(
            "select provider, notify_id from payment_notification where settled_at_ms is null"
                + " and received_at_ms < ? order by attempts, received_at_ms limit ?")
        .params(before.toEpochMilli(), limit)
        .query((rs, n) -> new Key(Provider.valueOf(rs.getString(1)), rs.getString(2)))
        .list();
  }

  /** Settled notifications with this outcome, newest first. */
  List<Recorded> withOutcome(SettlementOutcome outcome, int limit) {
    return jdbc.sql(
            "select "
                + COLUMNS
                + " from payment_notification where outcome = ? order by received_at_ms desc limit ?")
        .params(outcome.name(), limit)
        .query(PaymentNotificationInbox::map)
        .list();
  }

  private static String truncate(String text, int max) {
    return text == null || text.length() <= max ? text : text.substring(0, max);
  }

  private static Recorded map(ResultSet rs, int row) throws SQLException {
    Object settled = rs.getObject("settled_at_ms");
    String outcome = rs.getString("outcome");
    return new Recorded(
        new VerifiedNotification(
            Provider.valueOf(rs.getString("provider")),
            rs.getString("notify_id"),
            rs.getString("out_trade_no"),
            rs.getString("transaction_id"),
            rs.getLong("amount_cents"),
            TradeState.valueOf(rs.getString("trade_state")),
            rs.getString("merchant_id"),
            rs.getString("app_id"),
            rs.getString("payload")),
        Instant.ofEpochMilli(rs.getLong("received_at_ms")),
        outcome == null ? null : SettlementOutcome.valueOf(outcome),
        rs.getString("reason"),
        settled == null ? null : Instant.ofEpochMilli(((Number) settled).longValue()));
  }
}
