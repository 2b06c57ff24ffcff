package io.railrush.app.promo;

import io.railrush.app.infra.OldestRows;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The {@code promo_inbox} table: the ids of messages applied, written in the transaction that
 * applied them, so a redelivered or duplicated message is recognised and has no second effect.
 */
@Repository
class PromoInbox {

  private final JdbcClient jdbc;

  PromoInbox(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * True the first time (and records it, in the caller's transaction). Two deliveries of one
   * message at once both read "not yet": the second insert then fails on the key and its
   * transaction rolls back — to be delivered again, and found here.
   */
  boolean firstTime(String messageId, String type, long atMs) {
    if (jdbc.sql("select count(*) from promo_inbox where message_id = ?")
            .param(messageId)
            .query(Long.class)
            .single()
        > 0) {
      return false;
    }
    jdbc.sql("insert into promo_inbox (message_id, message_type, processed_at_ms) values (?, ?, ?)")
        .params(messageId, type, atMs)
        .update();
    return true;
  }

  /** Deletes up to {@code limit} records older than {@code beforeMs}; how many. */
  int forgetBefore(long beforeMs, int limit) {
    return OldestRows.delete(jdbc, "promo_inbox", "message_id", "processed_at_ms", beforeMs, limit);
  }
}
