package io.railrush.app.payment;

import io.railrush.app.order.PaymentsUnderway;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Orders whose payment the provider reported as paid before their payment window ended and that
 * wait in the settlement queue: the payment-window sweeper leaves them to settlement.
 *
 * <p>Why the answer cannot miss a notification that arrived in time: the inbox writer marks the
 * notified payment's row, holding its lock, before it records anything, and records nothing that
 * waited longer than {@link NotificationIntake#RECORD_WITHIN} for that lock; this check takes the
 * same lock before it reads. The sweeper asks only once the window ended longer ago than its grace
 * ({@code railrush.order.payment-grace}, above that wait), so a notification that arrived in time
 * either committed already or holds the lock, and the check waits for its commit.
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
  public boolean reportedPaidBy(String orderNo, Instant windowEnd) {
    jdbc.sql("select out_trade_no from payment where order_no = ? order by out_trade_no for update")
        .param(orderNo)
        .query(String.class)
        .list();
    return jdbc.sql(
                "select count(*) from payment_notification n"
                    + " join payment p on p.out_trade_no = n.out_trade_no"
                    + " where p.order_no = :orderNo and p.status = 'PENDING'"
                    + " and n.settled_at_ms is null and n.trade_state = :paid"
                    + " and n.received_at_ms >= :since and n.received_at_ms <= :windowEnd")
            .param("orderNo", orderNo)
            .param("paid", TradeState.PAID.name())
            .param("since", clock.millis() - HOLDS_ITS_ORDER_FOR.toMillis())
            .param("windowEnd", windowEnd.toEpochMilli())
            .query(Long.class)
            .single()
        > 0;
  }
}
