package io.railrush.bench.seats;

import io.railrush.kit.redis.RedisConnector;
import io.railrush.kit.seats.HoldResult;
import io.railrush.kit.seats.Holding;
import io.railrush.kit.seats.SeatLayout;
import io.railrush.kit.seats.SegmentInventory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Segment sales (区间余票) on one class of one run, by how many stops the run has: the kit's inventory
 * (per-leg bitsets, one script per hold) beside the per-pair-counter baseline ({@link
 * PerPairCounters}), in Redis, side by side in one run. Per stop count: holds/s from many threads
 * at a steady half-full occupancy (each hold given back at once), the Redis commands one hold and
 * its release cost, and after a sale with cancels how far each design's remaining counts are from a
 * recount of the tickets it sold.
 */
@Command(
    name = "seats",
    mixinStandardHelpOptions = true,
    description =
        "Segment holds/s by stops: the kit's SegmentInventory vs per-pair counters (a baseline)")
public final class SeatsScenario implements Runnable {

  @Option(names = "--stops", split = ",", defaultValue = "2,5,10,20,30")
  List<Integer> stopCounts;

  @Option(names = "--seats", defaultValue = "1000", description = "seats of the class")
  int seats;

  @Option(names = "--threads", defaultValue = "16")
  int threads;

  @Option(names = "--seconds", defaultValue = "5", description = "measured seconds per row")
  int seconds;

  @Option(
      names = "--sale-ops",
      defaultValue = "5000",
      description = "holds and cancels of the drift sale")
  int saleOps;

  @Option(names = "--redis", defaultValue = "redis://127.0.0.1:6379")
  String redisUrl;

  /** One design's figures at one stop count. */
  record Row(
      double attemptsPerSecond,
      double heldShare,
      double commandsPerAttempt,
      long pairsOff,
      long worstOff) {}

  /** What the measured loop drives: a hold that is given back at once. */
  private interface Design {
    /** Holds P seats on [from, to); true when held (and then given back). */
    boolean holdAndGiveBack(int from, int to, int passengers, String holder);
  }

  @Override
  public void run() {
    String prefix = "bench:seats:" + UUID.randomUUID().toString().substring(0, 8) + ":";
    Map<Integer, Row[]> rows = new LinkedHashMap<>();
    try (RedisConnector redis = RedisConnector.of(redisUrl)) {
      SegmentInventory inventory = SegmentInventory.redis(redis, prefix);
      SeatLayout layout = new SeatLayout(seats, "ABCDF", 18);
      for (int stops : stopCounts) {
        int legs = stops - 1;
        String key = "S" + stops + ":SECOND";
        inventory.restore(key, legs, layout, Map.of());
        PerPairCounters pairs = new PerPairCounters(redis, prefix + "pairs:" + stops, stops, seats);
        halfFill(inventory, key, pairs, legs);
        Design kit =
            (from, to, p, holder) -> {
              boolean held =
                  inventory.hold(key, holder, from, to, p, List.of()).outcome()
                      == HoldResult.Outcome.HELD;
              if (held) {
                inventory.release(key, holder);
              }
              return held;
            };
        Design baseline =
            (from, to, p, holder) -> {
              boolean sold = pairs.sell(from, to, p);
              if (sold) {
                pairs.cancel(from, to, p);
              }
              return sold;
            };
        measure(kit, legs, redis, Math.min(2, seconds)); // warm-up, both
        measure(baseline, legs, redis, Math.min(2, seconds));
        double[] kitRate = measure(kit, legs, redis, seconds);
        double[] baselineRate = measure(baseline, legs, redis, seconds);
        long[] kitDrift = kitDrift(inventory, prefix, legs, layout);
        long[] baselineDrift = baselineDrift(redis, prefix, stops);
        rows.put(
            stops,
            new Row[] {
              new Row(kitRate[0], kitRate[2], kitRate[1], kitDrift[0], kitDrift[1]),
              new Row(
                  baselineRate[0],
                  baselineRate[2],
                  baselineRate[1],
                  baselineDrift[0],
                  baselineDrift[1])
            });
      }
      for (String key : redis.sync().keys(prefix + "*")) {
        redis.sync().del(key);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    System.out.printf(
        "%nsegment holds on one class of %,d seats, random journeys, 1-3 passengers, half full,"
            + " %d threads, %d s per row, %d cores, Java %s%n%n"
            + "| stops | kit attempts/s (held) | baseline attempts/s (sold) | kit / baseline |"
            + " kit Redis cmds per attempt | baseline cmds per attempt | kit pairs off its recount"
            + " (worst) | baseline pairs off its recount (worst) |%n"
            + "|---:|---:|---:|---:|---:|---:|---:|---:|%n",
        seats, threads, seconds, Runtime.getRuntime().availableProcessors(), Runtime.version());
    rows.forEach(
        (stops, r) ->
            System.out.printf(
                "| %d | %,.0f (%.0f %%) | %,.0f (%.0f %%) | %.2f | %.1f | %.1f | %d (%d) | %d (%d) |%n",
                stops,
                r[0].attemptsPerSecond(),
                100 * r[0].heldShare(),
                r[1].attemptsPerSecond(),
                100 * r[1].heldShare(),
                r[0].attemptsPerSecond() / r[1].attemptsPerSecond(),
                r[0].commandsPerAttempt(),
                r[1].commandsPerAttempt(),
                r[0].pairsOff(),
                r[0].worstOff(),
                r[1].pairsOff(),
                r[1].worstOff()));
  }

  /**
   * Sells random journeys until about half the kit's seat-legs are taken, and offers each to the
   * counters too (which refuse some of them: they count every overlapping ticket).
   */
  private void halfFill(SegmentInventory inventory, String key, PerPairCounters pairs, int legs) {
    Random random = new Random(legs);
    long target = (long) seats * legs / 2;
    long taken = 0;
    int misses = 0;
    for (int n = 0; taken < target && misses < 100; n++) {
      int from = random.nextInt(legs);
      int to = from + 1 + random.nextInt(legs - from);
      int p = 1 + random.nextInt(3);
      if (inventory.hold(key, "fill-" + n, from, to, p, List.of()).outcome()
          == HoldResult.Outcome.HELD) {
        pairs.sell(from, to, p);
        taken += (long) p * (to - from);
        misses = 0;
      } else {
        misses++;
      }
    }
  }

  /**
   * {attempts/s, Redis commands per attempt, share of attempts that held} over {@code secondsToRun}
   * from {@link #threads} threads; an attempt that holds gives its seats back.
   */
  private double[] measure(Design design, int legs, RedisConnector redis, int secondsToRun)
      throws InterruptedException {
    long commandsBefore = redisCommands(redis);
    AtomicLong cycles = new AtomicLong();
    AtomicLong held = new AtomicLong();
    CountDownLatch done = new CountDownLatch(threads);
    long end = System.nanoTime() + secondsToRun * 1_000_000_000L;
    for (int t = 0; t < threads; t++) {
      Thread.ofPlatform()
          .start(
              () -> {
                try {
                  ThreadLocalRandom random = ThreadLocalRandom.current();
                  while (System.nanoTime() < end) {
                    int from = random.nextInt(legs);
                    int to = from + 1 + random.nextInt(legs - from);
                    long n = cycles.incrementAndGet();
                    if (design.holdAndGiveBack(from, to, 1 + random.nextInt(3), "b" + n)) {
                      held.incrementAndGet();
                    }
                  }
                } finally {
                  done.countDown();
                }
              });
    }
    done.await();
    long commands = redisCommands(redis) - commandsBefore;
    return new double[] {
      cycles.get() / (double) secondsToRun,
      commands / (double) cycles.get(),
      held.get() / (double) cycles.get()
    };
  }

  /** A sale with cancels (70 % holds, 30 % cancels), then every pair against a recount. */
  private long[] kitDrift(SegmentInventory inventory, String prefix, int legs, SeatLayout layout) {
    String key = "drift" + legs + ":SECOND";
    inventory.restore(key, legs, layout, Map.of());
    Random random = new Random(7);
    List<String> kept = new ArrayList<>();
    for (int n = 0; n < saleOps; n++) {
      if (!kept.isEmpty() && random.nextInt(10) < 3) {
        inventory.release(key, kept.remove(random.nextInt(kept.size())));
      } else {
        int from = random.nextInt(legs);
        int to = from + 1 + random.nextInt(legs - from);
        if (inventory.hold(key, "d" + n, from, to, 1 + random.nextInt(3), List.of()).outcome()
            == HoldResult.Outcome.HELD) {
          kept.add("d" + n);
        }
      }
    }
    Map<String, Holding> holdings = inventory.holdings(key);
    long off = 0;
    long worst = 0;
    for (int from = 0; from < legs; from++) {
      for (int to = from + 1; to <= legs; to++) {
        boolean[] taken = new boolean[seats];
        for (Holding h : holdings.values()) {
          if (h.overlaps(from, to)) {
            h.seats().forEach(s -> taken[s] = true);
          }
        }
        int recount = 0;
        for (boolean t : taken) {
          recount += t ? 0 : 1;
        }
        long diff = Math.abs(inventory.remaining(key, from, to) - recount);
        off += diff > 0 ? 1 : 0;
        worst = Math.max(worst, diff);
      }
    }
    return new long[] {off, worst};
  }

  /**
   * The same sale on the counters; the recount of a pair is the seats minus the busiest leg's
   * tickets (seats are interchangeable there, so that many could still be sold).
   */
  private long[] baselineDrift(RedisConnector redis, String prefix, int stops) {
    int legs = stops - 1;
    PerPairCounters pairs =
        new PerPairCounters(redis, prefix + "drift-pairs:" + stops, stops, seats);
    Random random = new Random(7);
    List<int[]> kept = new ArrayList<>();
    for (int n = 0; n < saleOps; n++) {
      if (!kept.isEmpty() && random.nextInt(10) < 3) {
        int[] t = kept.remove(random.nextInt(kept.size()));
        pairs.cancel(t[0], t[1], t[2]);
      } else {
        int from = random.nextInt(legs);
        int to = from + 1 + random.nextInt(legs - from);
        int p = 1 + random.nextInt(3);
        if (pairs.sell(from, to, p)) {
          kept.add(new int[] {from, to, p});
        }
      }
    }
    int[] load = new int[legs];
    for (int[] t : kept) {
      for (int leg = t[0]; leg < t[1]; leg++) {
        load[leg] += t[2];
      }
    }
    long off = 0;
    long worst = 0;
    for (int from = 0; from < legs; from++) {
      for (int to = from + 1; to <= legs; to++) {
        int busiest = 0;
        for (int leg = from; leg < to; leg++) {
          busiest = Math.max(busiest, load[leg]);
        }
        int remaining = pairs.remaining(from, to);
        long diff = Math.abs(remaining - (seats - busiest));
        off += diff > 0 ? 1 : 0;
        worst = Math.max(worst, diff);
      }
    }
    return new long[] {off, worst};
  }

  /** Commands Redis has executed, scripts' own commands included ({@code INFO commandstats}). */
  private static long redisCommands(RedisConnector redis) {
    long calls = 0;
    for (String line : redis.sync().info("commandstats").split("\r?\n")) {
      if (line.startsWith("cmdstat_") && !line.startsWith("cmdstat_info")) {
        int at = line.indexOf("calls=");
        calls += Long.parseLong(line.substring(at + 6, line.indexOf(',', at)));
      }
    }
    return calls;
  }
}
