package io.railrush.app.grab;

import io.railrush.app.order.OrderCancelled;
import io.railrush.app.order.OrderFailed;
import io.railrush.app.order.OrderNumberCollided;
import io.railrush.app.promo.Coupons;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionPhase;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * Returns the reservation of an order that no longer holds a seat in the database, once that is
 * committed. A return lost here (the seat store unreachable) is the reconciler's.
 */
@Component
class ReservationReturns {

  private final SeatHolds seats;
  private final Coupons coupons;

  ReservationReturns(SeatHolds seats, Coupons coupons) {
    this.seats = seats;
    this.coupons = coupons;
  }

  /** The grab was never written: its seat and coupon are free (the coupon only if it holds it). */
  @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT, fallbackExecution = true)
  void on(OrderNumberCollided collided) {
    seats.releaseQuietly(collided.runId(), collided.userId(), collided.orderNo());
    if (collided.couponId() != null) {
      coupons.release(collided.couponId(), collided.orderNo());
    }
  }

  @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT, fallbackExecution = true)
  void on(OrderFailed failed) {
    seats.releaseQuietly(failed.runId(), failed.userId(), failed.orderNo());
  }

  @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT, fallbackExecution = true)
  void on(OrderCancelled cancelled) {
    seats.releaseQuietly(cancelled.runId(), cancelled.userId(), cancelled.orderNo());
  }
}
