package io.railrush.app.payment;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The {@code payment} and {@code payment_settlement} tables. Instants are epoch milliseconds. */
@Repository
class PaymentRepository {

  private static final String COLUMNS =
      "out_trade_no, order_no, user_id, provider, amount_cents, status, fence, transaction_id,"
          + " created_at_ms";

  private final JdbcClient jdbc;

  PaymentRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  void insert(Payment payment) {
    jdbc.sql(
            "insert into payment (out_trade_no, order_no, user_id, provider, amount_cents, status,"
                + " created_at_ms) values (?, ?, ?, ?, ?, ?, ?)")
        .params(
            payment.outTradeNo(),
            payment.orderNo(),
            payment.userId(),
            payment.provider().name(),
            payment.amountCents(),
            payment.status().name(),
            payment.createdAt().toEpochMilli())
        .update();
  }

  Optional<Payment> find(String outTradeNo) {
    return jdbc.sql("select " + COLUMNS + " from payment where out_trade_no = ?")
        .param(outTradeNo)
        .query(PaymentRepository::map)
        .optional();
  }

  /**
   * The payment, its row locked until the transaction ends: settlement takes a payment's lock
   * before its order's, as the payment-window sweeper does (the other order could deadlock them).
   */
  Optional<Payment> findForUpdate(String outTradeNo) {
    return jdbc.sql("select " + COLUMNS + " from payment where out_trade_no = ? for update")
        .param(outTradeNo)
        .query(PaymentRepository::map)
        .optional();
  }

  /**
   * PENDING → {@code status}: refused (false) when the payment is no longer PENDING — the status
   * condition is what makes a second settler's write a no-op. The settler's fencing token is
   * recorded with it (which lock holder settled the payment), not compared: a PENDING row has never
   * been written by a settler, so there is no older token to compare with.
   */
  boolean settle(
      String outTradeNo,
      PaymentStatus status,
      String transactionId,
      String reason,
      long fence,
      Instant at) {
    return jdbc.sql(
                "update payment set status = ?, transaction_id = ?, reason = ?, fence = ?,"
                    + " settled_at_ms = ? where out_trade_no = ? and status = 'PENDING'")
            .params(status.name(), transactionId, reason, fence, at.toEpochMilli(), outTradeNo)
            .update()
        == 1;
  }

  boolean settlementExists(Provider provider, String transactionId) {
    return jdbc.sql(
                "select count(*) from payment_settlement where provider = ? and transaction_id = ?")
            .params(provider.name(), transactionId)
            .query(Long.class)
            .single()
        > 0;
  }

  void recordSettlement(
      Provider provider,
      String transactionId,
      String outTradeNo,
      SettlementOutcome outcome,
      long fence,
      Instant at) {
    jdbc.sql(
            "insert into payment_settlement (provider, transaction_id, out_trade_no, outcome, fence,"
                + " settled_at_ms) values (?, ?, ?, ?, ?, ?)")
        .params(
            provider.name(), transactionId, outTradeNo, outcome.name(), fence, at.toEpochMilli())
        .update();
  }

  /**
   * PENDING payments of {@code providers} created and last asked about before {@code before}, and
   * asked about fewer than {@code maxQueries} times.
   */
  List<Payment> unsettledSince(
      Instant before, int maxQueries, int limit, java.util.Collection<Provider> providers) {
    if (providers.isEmpty()) {
      return List.of();
    }
    return jdbc.sql(
            "select "
                + COLUMNS
                + " from payment where status = 'PENDING' and provider in (:providers)"
                + " and created_at_ms < :before and queries < :maxQueries"
                + " and (queried_at_ms is null or queried_at_ms < :before)"
                + " order by created_at_ms limit :limit")
        .param("providers", providers.stream().map(Provider::name).toList())
        .param("before", before.toEpochMilli())
        .param("maxQueries", maxQueries)
        .param("limit", limit)
        .query(PaymentRepository::map)
        .list();
  }

  void countQuery(String outTradeNo, Instant at) {
    jdbc.sql("update payment set queries = queries + 1, queried_at_ms = ? where out_trade_no = ?")
        .params(at.toEpochMilli(), outTradeNo)
        .update();
  }

  private static Payment map(ResultSet rs, int row) throws SQLException {
    return new Payment(
        rs.getString("out_trade_no"),
        rs.getString("order_no"),
        rs.getString("user_id"),
        Provider.valueOf(rs.getString("provider")),
        rs.getLong("amount_cents"),
        PaymentStatus.valueOf(rs.getString("status")),
        rs.getLong("fence"),
        rs.getString("transaction_id"),
        Instant.ofEpochMilli(rs.getLong("created_at_ms")));
  }
}
