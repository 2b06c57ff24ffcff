package io.railrush.app.payment;

import io.railrush.app.order.PaymentsUnderway;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Orders whose payment the provider reported as paid before their payment window ended and that
 * wait in the settlement queue: the payment-window sweeper leaves them to settlement.
 *
 * <p>Why the locked check cannot miss a notification that arrived in time and reached the inbox
 * before the cancel: the inbox writer stamps the notified payment's row, holding its lock, before
 * it records anything, and this check takes the same lock before it reads. So a notification being
 * recorded either commits first and is read, or still holds the lock and the check waits for its
 * commit. The sweeper asks only once the window ended longer ago than its grace ({@code
 * railrush.order.payment-grace}): a notification still not at its payment's row by then (the
 * database stalled longer than the grace) finds its order cancelled, and is REFUND_NEEDED.
 */
@Component
class UnsettledPayments implements PaymentsUnderway {

  /**
   * A reported payment that settlement could not finish for this long (it keeps failing) holds its
   * order no longer: the window closes as usual, and the payment, once settled, is REFUND_NEEDED.
   */
  private static final Duration HOLDS_ITS_ORDER_FOR = Duration.ofMinutes(30);

  private static final String REPORTED_PAID =
      "select p.order_no, min(n.received_at_ms) from payment_notification n"
          + " join payment p on p.out_trade_no = n.out_trade_no"
          + " where n.settled_at_ms is null and n.received_at_ms >= :since"
          + " and n.trade_state = :paid and p.status = 'PENDING'";

  private final JdbcClient jdbc;
  private final Clock clock;

  UnsettledPayments(JdbcClient jdbc, Clock clock) {
    this.jdbc = jdbc;
    this.clock = clock;
  }

  @Override
  public Set<String> among(Map<String, Instant> windowEnds) {
    return windowEnds.isEmpty() ? Set.of() : reportedInTime(windowEnds);
  }

  @Override
  public boolean reportedPaidBy(String orderNo, Instant windowEnd) {
    // the keys first, then each row by its primary key: a locking read through the order_no
    // index would also lock the index gap on InnoDB, holding up every new payment after it. A
    // payment created after this read cannot matter: its notification arrives after the window
    List<String> trades =
        jdbc.sql("select out_trade_no from payment where order_no = ? order by out_trade_no")
            .param(orderNo)
            .query(String.class)
            .list();
    for (String trade : trades) {
      jdbc.sql("select out_trade_no from payment where out_trade_no = ? for update")
          .param(trade)
          .query(String.class)
          .list();
    }
    return !trades.isEmpty() && reportedInTime(Map.of(orderNo, windowEnd)).contains(orderNo);
  }

  private Set<String> reportedInTime(Map<String, Instant> windowEnds) {
    Set<String> paidInTime = new HashSet<>();
    jdbc.sql(REPORTED_PAID + " and p.order_no in (:orderNos) group by p.order_no")
        .param("since", clock.millis() - HOLDS_ITS_ORDER_FOR.toMillis())
        .param("paid", TradeState.PAID.name())
        .param("orderNos", windowEnds.keySet())
        .query(
            (ResultSet rs) -> {
              String orderNo = rs.getString(1);
              // one that arrived after the window is a late payment: it does not hold the order
              if (rs.getLong(2) <= windowEnds.get(orderNo).toEpochMilli()) {
                paidInTime.add(orderNo);
              }
            });
    return paidInTime;
  }
}
