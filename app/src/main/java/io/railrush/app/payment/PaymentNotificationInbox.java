package io.railrush.app.payment;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

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
  record Key(Provider provider, String notifyId) {}

  private static final String COLUMNS =
      "provider, notify_id, out_trade_no, transaction_id, amount_cents, trade_state, merchant_id,"
          + " app_id, payload, received_at_ms, outcome, reason, settled_at_ms";

  private final JdbcClient jdbc;

  PaymentNotificationInbox(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** Records it durably; false when this notification was recorded before (a retry). */
  boolean record(VerifiedNotification n, Instant at) {
    try {
      jdbc.sql(
              "insert into payment_notification (provider, notify_id, out_trade_no, transaction_id,"
                  + " amount_cents, trade_state, merchant_id, app_id, payload, received_at_ms)"
                  + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
          .params(
              n.provider().name(),
              n.notifyId(),
              n.outTradeNo(),
              n.transactionId(),
              n.amountCents(),
              n.state().name(),
              n.merchantId(),
              n.appId(),
              truncate(n.payload(), 4000),
              at.toEpochMilli())
          .update();
      return true;
    } catch (DuplicateKeyException recordedBefore) {
      return false;
    }
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

  void countAttempt(Key key) {
    jdbc.sql(
            "update payment_notification set attempts = attempts + 1 where provider = ? and notify_id = ?")
        .params(key.provider().name(), key.notifyId())
        .update();
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
