package io.railrush.app.messaging;

import io.railrush.app.infra.OldestRows;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;

/** The {@code message_outbox} table. */
@Repository
class OutboxRepository {

  /** Outbox rows by state: the notes' 可用 (ready) / 锁定 (in flight) / 完成 (done). */
  record Counts(long ready, long inFlight, long retrying, long done) {}

  private final JdbcClient jdbc;
  private final JdbcTemplate batches;
  private final TransactionTemplate transactions;
  private final String skipLocked;

  OutboxRepository(JdbcClient jdbc, TransactionTemplate transactions, DataSource dataSource) {
    this.jdbc = jdbc;
    this.batches = new JdbcTemplate(dataSource);
    this.transactions = transactions;
    this.skipLocked = supportsSkipLocked(dataSource) ? " for update skip locked" : " for update";
  }

  /** PostgreSQL and MariaDB/MySQL skip rows another relay has locked; H2 (one relay) waits. */
  private static boolean supportsSkipLocked(DataSource dataSource) {
    try (Connection connection = dataSource.getConnection()) {
      String product = connection.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
      return !product.contains("h2");
    } catch (SQLException e) {
      throw new IllegalStateException("cannot tell which database this is", e);
    }
  }

  /** A row to append. */
  record NewMessage(String messageId, String type, String payload, long atMs) {}

  /** In the caller's transaction, as one batched statement. */
  void appendAll(List<NewMessage> messages) {
    if (messages.isEmpty()) {
      return;
    }
    batches.batchUpdate(
        "insert into message_outbox (message_id, message_type, payload, created_at_ms)"
            + " values (?, ?, ?, ?)",
        messages,
        messages.size(),
        (statement, m) -> {
          statement.setString(1, m.messageId());
          statement.setString(2, m.type());
          statement.setString(3, m.payload());
          statement.setLong(4, m.atMs());
        });
  }

  /**
   * Claims up to {@code limit} rows nobody holds (never published, lease absent or expired, oldest
   * first) for {@code owner} until {@code leaseUntilMs}, in one short transaction. Rows another
   * relay is claiming at this instant are skipped, not waited for.
   */
  List<Message> claim(String owner, long nowMs, long leaseUntilMs, int limit) {
    return transactions.execute(
        tx -> {
          List<Message> claimed =
              jdbc.sql(
                      "select message_id, message_type, payload, attempts from message_outbox"
                          + " where published_at_ms is null"
                          + " and (lease_until_ms is null or lease_until_ms < ?)"
                          + " order by created_at_ms limit ?"
                          + skipLocked)
                  .params(nowMs, limit)
                  .query(
                      (rs, row) ->
                          new Message(
                              rs.getString(1), rs.getString(2), rs.getString(3), rs.getInt(4) + 1))
                  .list();
          if (!claimed.isEmpty()) {
            jdbc.sql(
                    "update message_outbox set lease_owner = :owner, lease_until_ms = :until"
                        + " where message_id in (:ids)")
                .param("owner", owner)
                .param("until", leaseUntilMs)
                .param("ids", claimed.stream().map(Message::id).toList())
                .update();
          }
          return claimed;
        });
  }

  /** Marks them handed on, those {@code owner} still holds; how many it marked. */
  int published(List<String> messageIds, String owner, long atMs) {
    if (messageIds.isEmpty()) {
      return 0;
    }
    return jdbc.sql(
            "update message_outbox set published_at_ms = :at, lease_owner = null,"
                + " lease_until_ms = null where message_id in (:ids) and lease_owner = :owner"
                + " and published_at_ms is null")
        .param("at", atMs)
        .param("ids", messageIds)
        .param("owner", owner)
        .update();
  }

  /** Deletes up to {@code limit} rows published before {@code beforeMs}; how many. */
  int forgetPublishedBefore(long beforeMs, int limit) {
    return OldestRows.delete(
        jdbc, "message_outbox", "message_id", "published_at_ms", beforeMs, limit);
  }

  /** An in-process delivery failed: tried again after {@code retryAtMs}. */
  void retryLater(String messageId, String owner, int attempts, long retryAtMs) {
    jdbc.sql(
            "update message_outbox set attempts = ?, lease_owner = null, lease_until_ms = ?"
                + " where message_id = ? and lease_owner = ?")
        .params(attempts, retryAtMs, messageId, owner)
        .update();
  }

  Counts counts(long nowMs) {
    return jdbc.sql(
            "select"
                + " coalesce(sum(case when published_at_ms is null and (lease_until_ms is null"
                + " or lease_until_ms < ?) then 1 else 0 end), 0),"
                + " coalesce(sum(case when published_at_ms is null and lease_owner is not null"
                + " and lease_until_ms >= ? then 1 else 0 end), 0),"
                + " coalesce(sum(case when published_at_ms is null and attempts > 0 then 1 else 0"
                + " end), 0),"
                + " coalesce(sum(case when published_at_ms is not null then 1 else 0 end), 0)"
                + " from message_outbox")
        .params(nowMs, nowMs)
        .query((rs, row) -> new Counts(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4)))
        .single();
  }
}
