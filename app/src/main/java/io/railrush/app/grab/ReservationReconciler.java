package io.railrush.app.grab;

import io.railrush.app.catalog.RunCatalog;
import io.railrush.app.infra.SweeperTurns;
import io.railrush.app.order.OrderBook;
import io.railrush.app.promo.Coupons;
import io.railrush.kit.id.OrderNumberGenerator;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.FixedDelayTask;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.stereotype.Component;

/**
 * Heals the seat store against the database, one node per round (the lock), whenever the queue has
 * read empty for 2 s: a reservation that is not an active order after {@code reservationTimeout} —
 * its node died between reserving and publishing, or its order failed or was cancelled and the
 * release was lost — is returned, unless its grab is confirmed on its way (a PENDING record, not
 * abandoned: the queue's count leaves out what a stalled consumer prefetched); then each loaded
 * run's counter is set to seats − holders, which also re-counts seats after a Redis flush.
 * Under-selling heals; the database guard keeps overselling impossible whatever the counter says.
 */
@Component
class ReservationReconciler implements SchedulingConfigurer {

  private static final Logger log = LoggerFactory.getLogger(ReservationReconciler.class);
  private static final java.time.Duration DRAINED = java.time.Duration.ofSeconds(2);
  private static final int STRANDED_COUPONS_PER_ROUND = 500;

  private final SeatHolds seats;
  private final OrderBook orders;
  private final RunCatalog catalog;
  private final PipelineBacklog backlog;
  private final SweeperTurns turns;
  private final Coupons coupons;
  private final GrabProperties properties;
  private final Clock clock;

  /** Where the stranded-coupon walk goes on next round (null: from the oldest). */
  private Coupons.Held couponCursor;

  ReservationReconciler(
      SeatHolds seats,
      OrderBook orders,
      RunCatalog catalog,
      PipelineBacklog backlog,
      SweeperTurns turns,
      Coupons coupons,
      GrabProperties properties,
      Clock clock) {
    this.seats = seats;
    this.orders = orders;
    this.catalog = catalog;
    this.backlog = backlog;
    this.turns = turns;
    this.coupons = coupons;
    this.properties = properties;
    this.clock = clock;
  }

  @Override
  public void configureTasks(ScheduledTaskRegistrar tasks) {
    tasks.addFixedDelayTask(
        new FixedDelayTask(
            this::reconcileAsLeader, properties.reconcileEvery(), properties.reconcileEvery()));
  }

  void reconcileAsLeader() {
    turns.runIfLeader(
        "reservation-reconciler",
        held -> {
          for (String runId : catalog.recentAndUpcomingRunIds()) {
            if (!held.isHeld()) {
              return;
            }
            reconcile(runId);
          }
          releaseStrandedCoupons();
        });
  }

  /**
   * Gives back coupons RESERVED for longer than {@code reservationTimeout} by order numbers that
   * never became orders and are not on their way: a grab whose hand-over failed and whose coupon
   * release failed too, or whose reservation's outcome was lost with its connection. No seat hold
   * leads to them (the seat was returned, or db-direct holds none), so the seat rounds above never
   * would. Only once the queue has drained, as for seats: a grab still queued would be written with
   * the coupon it names.
   */
  int releaseStrandedCoupons() {
    if (!backlog.drainedFor(DRAINED)) {
      return 0;
    }
    // a page per round, walking on from the last: coupons of live orders (a 15 min window) and
    // ones whose release is merely late must not hide the stranded ones behind them
    List<Coupons.Held> page =
        coupons.heldSince(
            clock.instant().minus(properties.reservationTimeout()),
            couponCursor,
            STRANDED_COUPONS_PER_ROUND);
    if (page.isEmpty()) {
      couponCursor = null;
      return 0;
    }
    Set<String> stranded = orders.neverArrived(page.stream().map(Coupons.Held::orderNo).toList());
    for (String orderNo : stranded) {
      coupons.releaseHeldBy(orderNo);
    }
    // on only once the page is done: a failure above retries this page next round
    couponCursor = page.size() < STRANDED_COUPONS_PER_ROUND ? null : page.getLast();
    if (!stranded.isEmpty()) {
      log.info("released the coupons of {} grabs that never became orders", stranded.size());
    }
    return stranded.size();
  }

  /** Returns the reservations that did not become active orders in time; re-counts when drained. */
  int reconcile(String runId) {
    if (seats.remaining(runId) < 0) {
      return 0; // never loaded: nothing reserved
    }
    if (!backlog.drainedFor(DRAINED)) {
      return 0; // an old reservation may still be queued (a consumer was down): wait for the drain
    }
    Map<String, String> active = orders.activeHolders(runId);
    Set<String> activeOrders = new HashSet<>(active.values());
    Instant expired = clock.instant().minus(properties.reservationTimeout());
    Map<String, String> overdue = new HashMap<>();
    seats
        .holders(runId)
        .forEach(
            (userId, orderNo) -> {
              if (!activeOrders.contains(orderNo)
                  && OrderNumberGenerator.issuedAt(orderNo).isBefore(expired)) {
                overdue.put(userId, orderNo);
              }
            });
    // an empty queue does not mean nothing is on its way: a stalled consumer (GC, SIGSTOP) holds
    // its prefetched grabs out of the queue's count; their PENDING records say they are coming
    Set<String> onTheirWay = orders.inFlight(overdue.values());
    int returned = 0;
    for (Map.Entry<String, String> holder : overdue.entrySet()) {
      if (onTheirWay.contains(holder.getValue())) {
        continue;
      }
      // the coupon first: no order event will ever free it, and once the seat is returned this
      // hold is no longer seen, so a failure here must leave the seat for the next round
      coupons.releaseHeldBy(holder.getValue());
      if (seats.release(runId, holder.getKey(), holder.getValue())) {
        returned++;
      }
    }
    if (returned > 0) {
      log.info("returned {} reservations of {} that never became active orders", returned, runId);
    }
    seats.recount(runId);
    return returned;
  }
}
