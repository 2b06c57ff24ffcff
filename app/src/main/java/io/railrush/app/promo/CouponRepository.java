package io.railrush.app.promo;

import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The {@code coupon} table. Every change is a conditional update: the state machine is the SQL. */
@Repository
class CouponRepository {

  record Coupon(
      String couponId, String userId, long amountOffCents, CouponStatus status, String orderNo) {}

  private static final String SELECT =
      "select coupon_id, user_id, amount_off_cents, status, order_no from coupon";

  private final JdbcClient jdbc;

  CouponRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  void issue(String couponId, String userId, long amountOffCents, long atMs) {
    jdbc.sql(
            "insert into coupon (coupon_id, user_id, amount_off_cents, status, issued_at_ms,"
                + " updated_at_ms) values (?, ?, ?, 'AVAILABLE', ?, ?)")
        .params(couponId, userId, amountOffCents, atMs, atMs)
        .update();
  }

  Optional<Coupon> find(String couponId) {
    return jdbc.sql(SELECT + " where coupon_id = ?")
        .param(couponId)
        .query(CouponRepository::map)
        .optional();
  }

  List<Coupon> ofUser(String userId) {
    return jdbc.sql(SELECT + " where user_id = ? order by issued_at_ms, coupon_id")
        .param(userId)
        .query(CouponRepository::map)
        .list();
  }

  /** AVAILABLE → RESERVED by this order, if the coupon is the user's and still available. */
  boolean reserve(String couponId, String userId, String orderNo, long atMs) {
    return jdbc.sql(
                "update coupon set status = 'RESERVED', order_no = ?, updated_at_ms = ?"
                    + " where coupon_id = ? and user_id = ? and status = 'AVAILABLE'")
            .params(orderNo, atMs, couponId, userId)
            .update()
        == 1;
  }

  /** RESERVED by this order → AVAILABLE; false when it was not so reserved. */
  boolean release(String couponId, String orderNo, long atMs) {
    return jdbc.sql(
                "update coupon set status = 'AVAILABLE', order_no = null, updated_at_ms = ?"
                    + " where coupon_id = ? and order_no = ? and status = 'RESERVED'")
            .params(atMs, couponId, orderNo)
            .update()
        == 1;
  }

  /** Whatever this order holds RESERVED → AVAILABLE (the order was cancelled or failed). */
  int releaseAllOf(String orderNo, long atMs) {
    return jdbc.sql(
            "update coupon set status = 'AVAILABLE', order_no = null, updated_at_ms = ?"
                + " where order_no = ? and status = 'RESERVED'")
        .params(atMs, orderNo)
        .update();
  }

  /**
   * → USED by this order: from RESERVED by it, or from AVAILABLE (its reservation was released
   * while the payment was on its way). False when another order holds or used it.
   */
  boolean use(String couponId, String userId, String orderNo, long atMs) {
    return jdbc.sql(
                "update coupon set status = 'USED', order_no = ?, updated_at_ms = ?"
                    + " where coupon_id = ? and user_id = ? and (status = 'AVAILABLE'"
                    + " or (status = 'RESERVED' and order_no = ?))")
            .params(orderNo, atMs, couponId, userId, orderNo)
            .update()
        == 1;
  }

  /**
   * Coupons RESERVED since before {@code beforeMs}, oldest first, after {@code after} in that order
   * (null: from the start).
   */
  List<Coupons.Held> reservedBefore(long beforeMs, Coupons.Held after, int limit) {
    long afterMs = after == null ? Long.MIN_VALUE : after.reservedAtMs();
    String afterId = after == null ? "" : after.couponId();
    return jdbc.sql(
            "select coupon_id, order_no, updated_at_ms from coupon where status = 'RESERVED'"
                + " and updated_at_ms < ? and (updated_at_ms > ? or (updated_at_ms = ?"
                + " and coupon_id > ?)) order by updated_at_ms, coupon_id limit ?")
        .params(beforeMs, afterMs, afterMs, afterId, limit)
        .query((rs, row) -> new Coupons.Held(rs.getString(1), rs.getString(2), rs.getLong(3)))
        .list();
  }

  List<Coupon> used() {
    return jdbc.sql(SELECT + " where status = 'USED'").query(CouponRepository::map).list();
  }

  private static Coupon map(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
    return new Coupon(
        rs.getString(1),
        rs.getString(2),
        rs.getLong(3),
        CouponStatus.valueOf(rs.getString(4)),
        rs.getString(5));
  }
}
