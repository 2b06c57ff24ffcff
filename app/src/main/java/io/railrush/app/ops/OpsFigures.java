package io.railrush.app.ops;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.search.Search;
import io.railrush.app.catalog.SeatLedger;
import io.railrush.app.grab.GateStock;
import io.railrush.app.order.OrderAudit;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.springframework.stereotype.Component;

/**
 * One snapshot of what the operations dashboard shows: this node's meters (the same ones {@code
 * /actuator/prometheus} exports, read by name from the registry) and, for one run, its seats, sold
 * count and orders by status read from the database. Counters are totals since the node started;
 * the page turns successive snapshots into rates.
 */
@Component
class OpsFigures {

  private final MeterRegistry meters;
  private final SeatLedger ledger;
  private final OrderAudit orders;
  private final GateStock gate;
  private final FlashCrowd crowd;
  private final Clock clock;

  OpsFigures(
      MeterRegistry meters,
      SeatLedger ledger,
      OrderAudit orders,
      GateStock gate,
      FlashCrowd crowd,
      Clock clock) {
    this.meters = meters;
    this.ledger = ledger;
    this.orders = orders;
    this.gate = gate;
    this.crowd = crowd;
    this.clock = clock;
  }

  /**
   * @param remaining seats neither sold nor held at the gate (the database's {@code seats - sold}
   *     when the gate has not loaded the run)
   * @param pending grabs the gate accepted whose orders are not written yet (null when the gate has
   *     not loaded the run)
   */
  record RunFigures(
      String runId,
      int seats,
      int sold,
      long remaining,
      Long pending,
      Map<String, Long> ordersByStatus) {}

  record Snapshot(
      Instant at,
      RunFigures run,
      Map<String, Double> grabs,
      Map<String, Double> httpByStatus,
      Map<String, Double> ordersWritten,
      double ordersParked,
      double grabsQueued,
      double grabsDead,
      Map<String, Double> outbox,
      double messagesInFlight,
      double messagesDead,
      double paymentNotifications,
      Map<String, Double> paymentsSettled,
      double paymentInboxWaiting,
      Map<String, Double> cache,
      Timing writeLag,
      Timing lockWaits,
      FlashCrowd.Progress crowd) {}

  /** A timer's events and their total and longest seconds (the longest over a recent window). */
  record Timing(long count, double totalSeconds, double maxSeconds) {}

  Snapshot snapshot(String runId) {
    RunFigures run =
        runId == null ? null : ledger.read(runId).map(s -> runFigures(runId, s)).orElse(null);
    Map<String, Double> cache = new TreeMap<>();
    for (String counter : new String[] {"hits", "misses", "loads", "stale", "degraded"}) {
      cache.put(counter, total("railrush.cache." + counter));
    }
    return new Snapshot(
        clock.instant(),
        run,
        byTag("railrush.grabs", "outcome"),
        byTag("http.server.requests", "status"),
        byTag("railrush.orders.written", "status"),
        total("railrush.orders.parked"),
        total("railrush.grabs.queued"),
        total("railrush.grabs.dead"),
        byTag("railrush.messages.outbox", "state"),
        total("railrush.messages.in.flight"),
        total("railrush.messages.dead"),
        total("railrush.payments.notifications"),
        byTag("railrush.payments.settled", "outcome"),
        total("railrush.payments.inbox.waiting"),
        cache,
        timing("railrush.orders.write.lag"),
        timing("railrush.locks.wait"),
        crowd.progress());
  }

  private RunFigures runFigures(String runId, SeatLedger.Seats ledgerSeats) {
    OptionalLong atGate = gate.remaining(runId);
    long remaining = atGate.orElse(ledgerSeats.seats() - ledgerSeats.sold());
    Long pending =
        atGate.isPresent()
            ? Math.max(0, ledgerSeats.seats() - atGate.getAsLong() - ledgerSeats.sold())
            : null;
    return new RunFigures(
        runId,
        ledgerSeats.seats(),
        ledgerSeats.sold(),
        remaining,
        pending,
        orders.ordersByStatus(runId));
  }

  private Timing timing(String name) {
    long count = 0;
    double total = 0;
    double max = 0;
    for (Timer timer : Search.in(meters).name(name).timers()) {
      count += timer.count();
      total += timer.totalTime(TimeUnit.SECONDS);
      max = Math.max(max, timer.max(TimeUnit.SECONDS));
    }
    return new Timing(count, total, max);
  }

  /** The sum over every meter of that name, by the value of one tag. */
  private Map<String, Double> byTag(String name, String tag) {
    Map<String, Double> sums = new TreeMap<>();
    for (Meter meter : Search.in(meters).name(name).meters()) {
      String value = meter.getId().getTag(tag);
      if (value != null) {
        sums.merge(value, valueOf(meter), Double::sum);
      }
    }
    return sums;
  }

  private double total(String name) {
    double sum = 0;
    for (Meter meter : Search.in(meters).name(name).meters()) {
      double value = valueOf(meter);
      if (!Double.isNaN(value)) {
        sum += value;
      }
    }
    return sum;
  }

  /** A counter's count, a gauge's value, a timer's number of events. */
  private static double valueOf(Meter meter) {
    return meter.match(
        gauge -> gauge.value(),
        counter -> counter.count(),
        timer -> (double) timer.count(),
        summary -> (double) summary.count(),
        longTask -> (double) longTask.activeTasks(),
        timeGauge -> timeGauge.value(TimeUnit.SECONDS),
        functionCounter -> functionCounter.count(),
        functionTimer -> functionTimer.count(),
        other -> Double.NaN);
  }
}
