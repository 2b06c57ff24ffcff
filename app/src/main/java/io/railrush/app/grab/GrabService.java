package io.railrush.app.grab;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.railrush.app.catalog.RunForSale;
import io.railrush.app.order.DirectOrders;
import io.railrush.app.order.OrderBook;
import io.railrush.app.order.OrderIntake;
import io.railrush.app.promo.Coupons;
import io.railrush.kit.BackendUnavailableException;
import io.railrush.kit.id.OrderNumberGenerator;
import io.railrush.kit.limit.Permit;
import io.railrush.kit.limit.RateLimits;
import io.railrush.kit.stock.ReserveResult;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.stereotype.Service;

/**
 * 抢票. The pipeline: gate (one attempt per user per window; the run's token bucket; shed when the
 * order pipeline is backed up) → one atomic reservation (holder check, stock check, decrement,
 * holder record) → order number → durable publish → 202. Each step is cheaper than the next and
 * turns most of a flash crowd away before the database sees it.
 */
@Service
class GrabService {

  private static final Logger log = LoggerFactory.getLogger(GrabService.class);

  private final GrabProperties properties;
  private final RateLimits limits;
  private final SeatHolds seats;
  private final OrderIntake orders;
  private final OrderBook orderBook;
  private final GrabBus bus;
  private final PipelineBacklog backlog;
  private final OrderNumberGenerator orderNumbers;
  private final DirectOrders direct;
  private final Coupons coupons;
  private final Clock clock;
  private final Map<GrabOutcome.Kind, Counter> outcomes = new EnumMap<>(GrabOutcome.Kind.class);
  private final Counter notOnSale;

  /** run → nanoTime until which this node answers SOLD_OUT without asking the seat store. */
  private final Map<String, Long> soldOutUntil = new ConcurrentHashMap<>();

  /**
   * user → nanoTime their current one-attempt window ends, as this node last learned it. Windows
   * are cluster-wide (Redis); a node that knows one is open refuses locally — a user (or bot)
   * hammering the button costs no round trip after the first.
   */
  private final Cache<String, Long> userWindowEnds;

  GrabService(
      GrabProperties properties,
      RateLimits limits,
      SeatHolds seats,
      OrderIntake orders,
      OrderBook orderBook,
      GrabBus bus,
      PipelineBacklog backlog,
      OrderNumberGenerator orderNumbers,
      DirectOrders direct,
      Coupons coupons,
      Clock clock,
      MeterRegistry meters) {
    this.coupons = coupons;
    this.properties = properties;
    this.limits = limits;
    this.seats = seats;
    this.orders = orders;
    this.orderBook = orderBook;
    this.bus = bus;
    this.backlog = backlog;
    this.orderNumbers = orderNumbers;
    this.direct = direct;
    this.clock = clock;
    for (GrabOutcome.Kind kind : GrabOutcome.Kind.values()) {
      outcomes.put(
          kind, Counter.builder("railrush.grabs").tag("outcome", kind.metric).register(meters));
    }
    this.notOnSale =
        Counter.builder("railrush.grabs").tag("outcome", "not_on_sale").register(meters);
    this.userWindowEnds =
        Caffeine.newBuilder()
            .maximumSize(1_000_000)
            .expireAfterWrite(properties.userWindow())
            .build();
  }

  void countNotOnSale() {
    notOnSale.increment();
  }

  /**
   * @param coupon a coupon the caller checked as usable by this user, or null
   */
  GrabOutcome grab(String userId, RunForSale run, Coupons.Usable coupon) {
    MDC.put("runId", run.runId()); // every log line of the grab names its run, then its order
    GrabOutcome outcome =
        switch (properties.strategy()) {
          case PIPELINE -> pipeline(userId, run, coupon);
          case DB_DIRECT -> direct(userId, run, coupon);
        };
    outcomes.get(outcome.kind()).increment();
    log.debug("grab by {}: {}", userId, outcome.kind());
    return outcome;
  }

  private GrabOutcome direct(String userId, RunForSale run, Coupons.Usable coupon) {
    String orderNo = orderNumbers.next();
    MDC.put("orderNo", orderNo);
    GrabAccepted grab = accepted(orderNo, userId, run, coupon);
    if (coupon != null && !coupons.reserve(coupon.couponId(), userId, grab.orderNo())) {
      return GrabOutcome.couponTaken(coupon.couponId());
    }
    GrabOutcome outcome =
        switch (direct.place(grab.toOrderRequest())) {
          case DirectOrders.Created created -> GrabOutcome.accepted(created.orderNo(), "CREATED");
          case DirectOrders.AlreadyHolding holding -> GrabOutcome.alreadyHolding(holding.orderNo());
          case DirectOrders.SoldOut soldOut -> GrabOutcome.soldOut();
          case DirectOrders.Conflict conflict -> GrabOutcome.busy("conflicting grab; retry");
        };
    if (coupon != null && outcome.kind() != GrabOutcome.Kind.ACCEPTED) {
      coupons.release(coupon.couponId(), grab.orderNo());
    }
    return outcome;
  }

  /** The order's amount is the fare less the coupon, never below zero. */
  private GrabAccepted accepted(
      String orderNo, String userId, RunForSale run, Coupons.Usable coupon) {
    long amount =
        coupon == null ? run.priceCents() : Math.max(0, run.priceCents() - coupon.amountOffCents());
    return new GrabAccepted(
        orderNo,
        run.runId(),
        userId,
        amount,
        coupon == null ? null : coupon.couponId(),
        clock.millis());
  }

  private GrabOutcome pipeline(String userId, RunForSale run, Coupons.Usable coupon) {
    String runId = run.runId();
    Long soldOut = soldOutUntil.get(runId);
    if (soldOut != null && soldOut - System.nanoTime() > 0) {
      return GrabOutcome
          .soldOut(); // before the user's window: asking again later is not an attempt
    }
    if (backlog.over()) {
      // before the window too: "retry in 1 s" must be true, and a local read costs nothing
      return GrabOutcome.busy("orders are queueing; retry shortly");
    }
    Long windowEnds = userWindowEnds.getIfPresent(userId);
    long now = System.nanoTime();
    if (windowEnds != null && windowEnds - now > 0) {
      return limited(
          Duration.ofNanos(windowEnds - now)); // this node saw the window open: no round trip
    }
    Permit once;
    try {
      once = limits.oncePer("user:" + userId, properties.userWindow());
    } catch (BackendUnavailableException storeDown) {
      log.warn("grab refused, seat store unavailable: {}", storeDown.toString());
      return GrabOutcome.busy("the seat store is unavailable; retry shortly");
    }
    userWindowEnds.put(
        userId, now + (once.granted() ? properties.userWindow() : once.retryAfter()).toNanos());
    if (!once.granted()) {
      return limited(once.retryAfter());
    }
    GrabOutcome outcome = reserveAndPublish(userId, run, coupon);
    if (outcome.kind() == GrabOutcome.Kind.BUSY
        || outcome.kind() == GrabOutcome.Kind.COUPON_TAKEN) {
      giveWindowBack(userId); // no seat was taken: the retry the answer invites must be allowed
    }
    return outcome;
  }

  private GrabOutcome reserveAndPublish(String userId, RunForSale run, Coupons.Usable coupon) {
    String runId = run.runId();
    String orderNo = null;
    try {
      long capacity =
          Math.max(
              properties.bucketMinimum(),
              Math.round(run.seats() * properties.bucketBurstPerSeat()));
      double refill = Math.max(1, run.seats() * properties.bucketRefillPerSeat());
      Permit token = limits.takeToken("run:" + runId, capacity, refill);
      if (!token.granted()) {
        return GrabOutcome.rateLimited(token.retryAfter(), "too many grabs for this run right now");
      }
      orderNo = orderNumbers.next();
      MDC.put("orderNo", orderNo);
      ReserveResult reserved = seats.reserve(runId, userId, orderNo);
      switch (reserved.outcome()) {
        case SOLD_OUT -> {
          soldOutUntil.put(runId, System.nanoTime() + properties.soldOutMemory().toNanos());
          return GrabOutcome.soldOut();
        }
        case ALREADY_HOLDING -> {
          // named only when the order exists or is surely on its way: a hold whose hand-over
          // is in doubt may end in no order, and an Idempotency-Key would keep the answer 24 h
          return orderBook.confirmsHold(userId, reserved.orderNo())
              ? GrabOutcome.alreadyHolding(reserved.orderNo())
              : GrabOutcome.busy("your previous grab on this run is still being settled; retry");
        }
        case NOT_LOADED -> {
          return GrabOutcome.busy("the run's stock is being loaded; retry shortly");
        }
        case RESERVED -> {}
      }
      if (coupon != null && !coupons.reserve(coupon.couponId(), userId, orderNo)) {
        // another grab holds the coupon now: this one holds no seat either
        seats.releaseQuietly(runId, userId, orderNo);
        return GrabOutcome.couponTaken(coupon.couponId());
      }
      return publish(accepted(orderNo, userId, run, coupon));
    } catch (OrderNumberGenerator.ClockMovedBackwardsException clockStepped) {
      log.warn("grab refused: {}", clockStepped.getMessage());
      return GrabOutcome.busy("order numbers are paused while the clock catches up; retry shortly");
    } catch (BackendUnavailableException
        | TransientDataAccessException
        | DataAccessResourceFailureException storeDown) {
      // a backend that cannot answer is BUSY; anything else is a bug and must surface as a 500
      log.warn("grab refused, seat store unavailable: {}", storeDown.toString());
      if (orderNo != null) {
        seats.releaseQuietly(
            runId, userId, orderNo); // the reserve may have run though its reply was lost
      }
      return GrabOutcome.busy("the seat store is unavailable; retry shortly");
    }
  }

  /**
   * The coupon first: if its release fails, the seat stays held, and the reconciler, which walks
   * seat holds, returns both (coupon first) once the grab is overdue.
   */
  private void returnCouponThenSeat(GrabAccepted grab) {
    if (grab.couponId() != null) {
      try {
        coupons.release(grab.couponId(), grab.orderNo());
      } catch (RuntimeException notReleased) {
        log.warn(
            "coupon {} of {} not released; the reconciler returns it and the seat: {}",
            grab.couponId(),
            grab.orderNo(),
            notReleased.toString());
        return;
      }
    }
    seats.releaseQuietly(grab.runId(), grab.userId(), grab.orderNo());
  }

  private void giveWindowBack(String userId) {
    userWindowEnds.invalidate(userId);
    try {
      limits.endWindow("user:" + userId);
    } catch (BackendUnavailableException unreachable) {
      // the window ends by itself
    }
  }

  private GrabOutcome limited(Duration retryAfter) {
    return GrabOutcome.rateLimited(
        retryAfter, "one grab per user every " + properties.userWindow().toSeconds() + " s");
  }

  private GrabOutcome publish(GrabAccepted grab) {
    try {
      bus.publish(grab);
    } catch (RuntimeException notPublished) {
      log.warn("publish of {} failed: {}", grab.orderNo(), notPublished.toString());
      try {
        orders.abandon(grab.orderNo()); // if it does arrive, the writer writes it FAILED
      } catch (BackendUnavailableException markLost) {
        notPublished.addSuppressed(markLost);
      }
      if (!(notPublished instanceof GrabBus.PublishOutcomeUnknownException)) {
        // surely not queued: the coupon and seat are free now; an unknown outcome keeps them
        // until the writer fails the grab (its OrderFailed releases the coupon) or the
        // reconciler finds it never arrived
        returnCouponThenSeat(grab);
      }
      return GrabOutcome.busy("orders cannot be queued right now; retry shortly");
    }
    try {
      // before the 202, so a GET of its Location is never 404; after the confirm, so a PENDING
      // record always names a grab that is on its way
      orders.rememberPending(grab.toOrderRequest());
    } catch (BackendUnavailableException unreachable) {
      // the grab is queued all the same: a GET answers 503 until the order is written
      log.warn("PENDING view of {} not recorded: {}", grab.orderNo(), unreachable.toString());
    }
    return GrabOutcome.accepted(grab.orderNo(), "PENDING");
  }
}
