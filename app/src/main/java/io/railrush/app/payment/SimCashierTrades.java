package io.railrush.app.payment;

import java.time.Instant;
import java.util.Optional;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The simulator's record of the trades paid at its cashier ({@code sim_cashier_trade}) and, when it
 * has no query URL of its own, its trade query: what a real provider keeps on its side, so a
 * notification lost with its node is found again by the lost-notification query after a restart.
 */
@Repository
class SimCashierTrades implements TradeQuery {

  /** A trade the buyer paid at the cashier. */
  record Paid(String outTradeNo, String transactionId, long amountCents, Instant paidAt) {}

  private final JdbcClient jdbc;

  SimCashierTrades(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** Records it, once: a second payment of the same trade keeps the first record. */
  void record(Paid paid) {
    try {
      jdbc.sql(
              "insert into sim_cashier_trade (out_trade_no, transaction_id, amount_cents,"
                  + " paid_at_ms) values (?, ?, ?, ?)")
          .params(
              paid.outTradeNo(),
              paid.transactionId(),
              paid.amountCents(),
              paid.paidAt().toEpochMilli())
          .update();
    } catch (DuplicateKeyException paidBefore) {
      // the buyer pressed "pay" twice: one trade
    }
  }

  @Override
  public Optional<VerifiedNotification> ask(String outTradeNo) {
    return jdbc.sql(
            "select out_trade_no, transaction_id, amount_cents from sim_cashier_trade"
                + " where out_trade_no = ?")
        .param(outTradeNo)
        .query(
            (rs, row) ->
                new VerifiedNotification(
                    Provider.SIM,
                    TradeQuery.answerId(rs.getString(2), rs.getString(1), TradeState.PAID),
                    rs.getString(1),
                    rs.getString(2),
                    rs.getLong(3),
                    TradeState.PAID,
                    null,
                    null,
                    "paid at the simulator's cashier"))
        .optional();
  }
}
