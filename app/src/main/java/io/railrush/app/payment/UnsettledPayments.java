package io.railrush.app.payment;

import io.railrush.app.order.PaymentsUnderway;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Orders whose payment the provider reported as paid before their payment window ended and that
 * wait in the settlement queue: the payment-window sweeper leaves them to settlement.
 */
@Component
class UnsettledPayments implements PaymentsUnderway {

  /**
   * A reported payment that settlement could not finish for this long (it keeps failing) holds its
   * order no longer: the window closes as usual, and the payment, once settled, is REFUND_NEEDED.
   */
  private static final Duration HOLDS_ITS_ORDER_FOR = Duration.ofMinutes(30);

  private final JdbcClient jdbc;
  private final Clock clock;

  UnsettledPayments(JdbcClient jdbc, Clock clock) {
    this.jdbc = jdbc;
    this.clock = clock;
  }

  @Override
  public Set<String> among(Map<String, Instant> windowEnds) {
    if (windowEnds.isEmpty()) {
      return Set.of();
    }
    Set<String> paidInTime = new HashSet<>();
    jdbc.sql(
            "select p.order_no, min(n.received_at_ms) from payment_notification n"
                + " join payment p on p.out_trade_no = n.out_trade_no"
                + " where n.settled_at_ms is null and n.received_at_ms >= :since"
                + " and n.trade_state = :paid and p.status = 'PENDING'"
                + " and p.order_no in (:orderNos) group by p.order_no")
        .param("since", clock.millis() - HOLDS_ITS_ORDER_FOR.toMillis())
        .param("paid", TradeState.PAID.name())
        .param("orderNos", windowEnds.keySet())
        .query(
            (ResultSet rs) -> {
              String orderNo = rs.getString(1);
              // one reported after the window is a late payment, refunded, not spared
              if (rs.getLong(2) <= windowEnds.get(orderNo).toEpochMilli()) {
                paidInTime.add(orderNo);
              }
            });
    return paidInTime;
  }
}
