package io.railrush.app.promo;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The {@code lottery_draw} table: one row per paid order, keyed by the order. */
@Repository
class LotteryDraws {

  private final JdbcClient jdbc;

  LotteryDraws(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** Grants the order's draw unless it has one; true when this call granted it. */
  boolean grant(String orderNo, String userId, long atMs) {
    if (jdbc.sql("select count(*) from lottery_draw where order_no = ?")
            .param(orderNo)
            .query(Long.class)
            .single()
        > 0) {
      return false;
    }
    jdbc.sql("insert into lottery_draw (order_no, user_id, granted_at_ms) values (?, ?, ?)")
        .params(orderNo, userId, atMs)
        .update();
    return true;
  }

  long of(String userId) {
    return jdbc.sql("select count(*) from lottery_draw where user_id = ?")
        .param(userId)
        .query(Long.class)
        .single();
  }

  java.util.Map<String, Long> perOrder() {
    java.util.Map<String, Long> draws = new java.util.HashMap<>();
    jdbc.sql("select order_no, count(*) from lottery_draw group by order_no")
        .query(
            rs -> {
              draws.put(rs.getString(1), rs.getLong(2));
            });
    return draws;
  }
}
