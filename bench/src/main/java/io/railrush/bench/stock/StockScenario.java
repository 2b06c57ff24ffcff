package io.railrush.bench.stock;

import io.railrush.bench.LatencyRecorder;
import io.railrush.kit.redis.RedisConnector;
import io.railrush.kit.stock.ReserveResult;
import io.railrush.kit.stock.StockReservations;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The reservation script alone (holder check, stock check, decrement, holder record), each call a
 * new user on one hot run, from many threads: what one run's counter can take before anything else
 * in the grab path is counted.
 */
@Command(
    name = "stock",
    mixinStandardHelpOptions = true,
    description = "Seat reservations/s on one hot run: Redis Lua vs in-process")
public final class StockScenario implements Runnable {

  @Option(names = "--threads", defaultValue = "64")
  int threads;

  @Option(names = "--seconds", defaultValue = "5")
  int seconds;

  @Option(names = "--redis", defaultValue = "redis://127.0.0.1:6379")
  String redisUrl;

  record Result(double perSecond, Histogram latency) {}

  @Override
  public void run() {
    String prefix = "bench:stock:" + UUID.randomUUID().toString().substring(0, 8) + ":";
    Map<String, Result> rows = new LinkedHashMap<>();
    try (RedisConnector redis = RedisConnector.of(redisUrl)) {
      rows.put(
          "Redis: one Lua script per reservation (the kit's `RedisStockReservations`)",
          measure(StockReservations.redis(redis, prefix)));
      rows.put(
          "in-process: one monitor per run (`InProcessStockReservations`, embedded mode)",
          measure(StockReservations.inProcess()));
      for (String key : redis.sync().keys(prefix + "*")) {
        redis.sync().del(key);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    System.out.printf(
        "%nseat reservations on one run, %d threads, %d s, %d cores, Java %s%n%n| store | reservations/s | p50 ms | p99 ms |%n|---|---:|---:|---:|%n",
        threads, seconds, Runtime.getRuntime().availableProcessors(), Runtime.version());
    rows.forEach(
        (name, r) ->
            System.out.printf(
                "| %s | %,.0f | %s | %s |%n",
                name,
                r.perSecond(),
                LatencyRecorder.millis(r.latency(), 50),
                LatencyRecorder.millis(r.latency(), 99)));
  }

  private Result measure(StockReservations stock) throws InterruptedException {
    String run = "G1-20261201";
    stock.load(
        run,
        1_000_000_000L); // more than any run of the bench can take (and exact in Lua's doubles)
    run(stock, run, Duration.ofSeconds(2)); // warm-up
    return run(stock, run, Duration.ofSeconds(seconds));
  }

  /** Every call is a new user, across the warm-up and the measured run. */
  private final AtomicLong users = new AtomicLong();

  private Result run(StockReservations stock, String run, Duration duration)
      throws InterruptedException {
    long first = users.get();
    LatencyRecorder latency = new LatencyRecorder();
    CountDownLatch done = new CountDownLatch(threads);
    long end = System.nanoTime() + duration.toNanos();
    for (int t = 0; t < threads; t++) {
      Thread.ofPlatform()
          .start(
              () -> {
                try {
                  while (System.nanoTime() < end) {
                    long user = users.incrementAndGet();
                    long began = System.nanoTime();
                    ReserveResult result = stock.reserve(run, "u" + user, "E" + user);
                    latency.record(began);
                    if (result.outcome() != ReserveResult.Outcome.RESERVED) {
                      throw new IllegalStateException("expected a reservation, got " + result);
                    }
                  }
                } finally {
                  done.countDown();
                }
              });
    }
    done.await();
    return new Result((users.get() - first) / (double) duration.toSeconds(), latency.interval());
  }
}
