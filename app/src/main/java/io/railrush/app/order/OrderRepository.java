package io.railrush.app.order;

import io.railrush.app.infra.KeyLookups;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The {@code ticket_order} table. Instants are epoch milliseconds (one portable migration). */
@Repository
class OrderRepository {

  private static final String COLUMNS =
      "order_no, run_id, user_id, status, amount_cents, coupon_id, accepted_at_ms, created_at_ms, paid_at_ms, failure_reason";

  private final JdbcClient jdbc;
  private final JdbcTemplate template;

  OrderRepository(JdbcClient jdbc, JdbcTemplate template) {
    this.jdbc = jdbc;
    this.template = template;
  }

  /** A row to insert: {@code active} when it holds a seat. */
  record NewOrder(
      String orderNo,
      String runId,
      String userId,
      OrderStatus status,
      long amountCents,
      String couponId,
      long acceptedAtMs,
      long createdAtMs,
      String failureReason) {}

  void insertAll(List<NewOrder> orders) {
    template.batchUpdate(
        "insert into ticket_order (order_no, run_id, user_id, status, amount_cents, coupon_id, active_user_id,"
            + " failure_reason, accepted_at_ms, created_at_ms) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        orders,
        orders.size(),
        (ps, o) -> {
          ps.setString(1, o.orderNo());
          ps.setString(2, o.runId());
          ps.setString(3, o.userId());
          ps.setString(4, o.status().name());
          ps.setLong(5, o.amountCents());
          ps.setString(6, o.couponId());
          ps.setString(7, o.status().active() ? o.userId() : null);
          ps.setString(8, o.failureReason());
          ps.setLong(9, o.acceptedAtMs());
          ps.setLong(10, o.createdAtMs());
        });
  }

  /** order number → user, for those of {@code orderNos} already written. */
  Map<String, String> ownersOf(Collection<String> orderNos) {
    return pairsByKey(
        "select order_no, user_id from ticket_order where ",
        "order_no = ?",
        orderNos.stream().map(no -> new Object[] {no}).toList());
  }

  private static final String ACTIVE_HOLDERS =
      "select active_user_id, order_no from ticket_order where run_id = :run and active_user_id is not null";

  /** user → order number of every order of the run that holds a seat. */
  Map<String, String> activeHolders(String runId) {
    return holders(jdbc.sql(ACTIVE_HOLDERS).param("run", runId));
  }

  /** {@link #activeHolders(String)}, for {@code users} only (by unique key: {@link KeyLookups}). */
  Map<String, String> activeHoldersAmong(String runId, Collection<String> users) {
    return pairsByKey(
        "select active_user_id, order_no from ticket_order where ",
        "run_id = ? and active_user_id = ?",
        users.stream().map(user -> new Object[] {runId, user}).toList());
  }

  /** First column → second, for the rows of these unique keys ({@link KeyLookups}). */
  private Map<String, String> pairsByKey(String select, String keyCondition, List<Object[]> keys) {
    Map<String, String> pairs = new HashMap<>();
    KeyLookups.find(
            jdbc,
            select,
            keyCondition,
            keys,
            (rs, n) -> Map.entry(rs.getString(1), rs.getString(2)))
        .forEach(pair -> pairs.put(pair.getKey(), pair.getValue()));
    return pairs;
  }

  private static Map<String, String> holders(JdbcClient.StatementSpec query) {
    Map<String, String> holders = new HashMap<>();
    query.query(
        (ResultSet rs) -> {
          holders.put(rs.getString(1), rs.getString(2));
        });
    return holders;
  }

  Optional<Order> find(String orderNo) {
    return jdbc.sql("select " + COLUMNS + " from ticket_order where order_no = ?")
        .param(orderNo)
        .query(OrderRepository::map)
        .optional();
  }

  List<Order> byUser(String userId, int limit) {
    return jdbc.sql(
            "select "
                + COLUMNS
                + " from ticket_order where user_id = ? order by accepted_at_ms desc limit ?")
        .params(userId, limit)
        .query(OrderRepository::map)
        .list();
  }

  /** A CREATED order as the sweeper walks them; the last one seen is where the walk goes on. */
  record Unpaid(String orderNo, long createdAtMs) {
    static final Unpaid START = new Unpaid("", Long.MIN_VALUE);
  }

  /**
   * CREATED orders written before {@code before}, oldest first, after {@code after}: a walk that
   * passes over orders it leaves alone instead of reading them again.
   */
  List<Unpaid> unpaidSince(Instant before, Unpaid after, int limit) {
    return jdbc.sql(
            "select order_no, created_at_ms from ticket_order where status = 'CREATED'"
                + " and created_at_ms < ?"
                + " and (created_at_ms > ? or (created_at_ms = ? and order_no > ?))"
                + " order by created_at_ms, order_no limit ?")
        .params(
            before.toEpochMilli(), after.createdAtMs(), after.createdAtMs(), after.orderNo(), limit)
        .query((rs, n) -> new Unpaid(rs.getString(1), rs.getLong(2)))
        .list();
  }

  /** CREATED → CANCELLED, only if still CREATED; true when this call made the change. */
  boolean cancel(String orderNo, String reason, Instant at) {
    return jdbc.sql(
                "update ticket_order set status = 'CANCELLED', active_user_id = null, failure_reason = ?, closed_at_ms = ?"
                    + " where order_no = ? and status = 'CREATED'")
            .params(reason, at.toEpochMilli(), orderNo)
            .update()
        == 1;
  }

  /** CREATED → PAID, only if still CREATED; true when this call made the change. */
  boolean markPaid(String orderNo, Instant at) {
    return jdbc.sql(
                "update ticket_order set status = 'PAID', paid_at_ms = ? where order_no = ? and status = 'CREATED'")
            .params(at.toEpochMilli(), orderNo)
            .update()
        == 1;
  }

  Map<String, Long> countByStatus(String runId) {
    Map<String, Long> counts = new HashMap<>();
    jdbc.sql("select status, count(*) from ticket_order where run_id = ? group by status")
        .param(runId)
        .query(
            (ResultSet rs) -> {
              counts.put(rs.getString(1), rs.getLong(2));
            });
    return counts;
  }

  long usersWithMoreThanOneActiveOrder(String runId) {
    return jdbc.sql(
            "select count(*) from (select user_id from ticket_order where run_id = ? and status in ('CREATED', 'PAID')"
                + " group by user_id having count(*) > 1) multi")
        .param(runId)
        .query(Long.class)
        .single();
  }

  private static Order map(ResultSet rs, int row) throws SQLException {
    Object paid = rs.getObject("paid_at_ms");
    return new Order(
        rs.getString("order_no"),
        rs.getString("run_id"),
        rs.getString("user_id"),
        OrderStatus.valueOf(rs.getString("status")),
        rs.getLong("amount_cents"),
        rs.getString("coupon_id"),
        Instant.ofEpochMilli(rs.getLong("created_at_ms")),
        paid == null ? null : Instant.ofEpochMilli(((Number) paid).longValue()),
        rs.getString("failure_reason"));
  }

  List<OrderAudit.PaidOrder> paid() {
    return jdbc.sql("select order_no, user_id, coupon_id from ticket_order where status = 'PAID'")
        .query(
            (rs, row) ->
                new OrderAudit.PaidOrder(rs.getString(1), rs.getString(2), rs.getString(3)))
        .list();
  }
}
