package io.railrush.app.messaging;

import java.util.List;
import java.util.Optional;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The {@code message_dead_letter} table: messages a consumer gave up on, until replayed. */
@Repository
class DeadLetters {

  /** A dead letter as an operator sees it. */
  record DeadLetter(
      String consumer,
      String messageId,
      String type,
      String payload,
      int attempts,
      String lastError,
      long deadAtMs) {
    Message message() {
      return new Message(messageId, type, payload, attempts + 1);
    }
  }

  private static final String COLUMNS =
      "consumer, message_id, message_type, payload, attempts, last_error, dead_at_ms";

  private final JdbcClient jdbc;

  DeadLetters(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** Records it; a message dead-lettered again (after a failed replay) keeps its first record. */
  void add(String consumer, Message message, String error, long atMs) {
    try {
      jdbc.sql("insert into message_dead_letter (" + COLUMNS + ") values (?, ?, ?, ?, ?, ?, ?)")
          .params(
              consumer,
              message.id(),
              message.type(),
              message.payload(),
              message.attempt(),
              truncate(error, 500),
              atMs)
          .update();
    } catch (DuplicateKeyException deadBefore) {
      // still dead: the existing record says so
    }
  }

  List<DeadLetter> list(int limit) {
    return jdbc.sql(
            "select "
                + COLUMNS
                + " from message_dead_letter order by dead_at_ms, message_id limit ?")
        .param(limit)
        .query(DeadLetters::map)
        .list();
  }

  Optional<DeadLetter> find(String consumer, String messageId) {
    return jdbc.sql(
            "select " + COLUMNS + " from message_dead_letter where consumer = ? and message_id = ?")
        .params(consumer, messageId)
        .query(DeadLetters::map)
        .optional();
  }

  /** consumer → its dead letters. */
  java.util.Map<String, Long> countByConsumer() {
    java.util.Map<String, Long> counts = new java.util.HashMap<>();
    jdbc.sql("select consumer, count(*) from message_dead_letter group by consumer")
        .query(
            (java.sql.ResultSet rs) -> {
              counts.put(rs.getString(1), rs.getLong(2));
            });
    return counts;
  }

  long count() {
    return jdbc.sql("select count(*) from message_dead_letter").query(Long.class).single();
  }

  void remove(String consumer, String messageId) {
    jdbc.sql("delete from message_dead_letter where consumer = ? and message_id = ?")
        .params(consumer, messageId)
        .update();
  }

  private static DeadLetter map(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
    return new DeadLetter(
        rs.getString(1),
        rs.getString(2),
        rs.getString(3),
        rs.getString(4),
        rs.getInt(5),
        rs.getString(6),
        rs.getLong(7));
  }

  private static String truncate(String text, int max) {
    return text == null || text.length() <= max ? text : text.substring(0, max);
  }
}
