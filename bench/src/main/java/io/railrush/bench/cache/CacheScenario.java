package io.railrush.bench.cache;

import io.railrush.bench.LatencyRecorder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Hot-key expiry storm: N nodes (separate cache instances and Redis connections) and R readers
 * hammer one run's stock while its entry expires again and again. Reports database loads per expiry
 * and latency for each strategy, run one after another in the same process.
 */
@Command(
    name = "cache",
    mixinStandardHelpOptions = true,
    description = "Cache stampede: naive vs Spring @Cacheable vs guarded")
public final class CacheScenario implements Runnable {

  @Option(
      names = "--readers",
      defaultValue = "500",
      description = "concurrent readers, spread over the nodes")
  int readers;

  @Option(names = "--nodes", defaultValue = "2")
  int nodes;

  @Option(names = "--seconds", defaultValue = "20", description = "measured seconds per strategy")
  int seconds;

  @Option(names = "--warmup-seconds", defaultValue = "5")
  int warmupSeconds;

  @Option(names = "--ttl-ms", defaultValue = "1000", description = "cache freshness")
  long ttlMillis;

  @Option(names = "--load-ms", defaultValue = "20", description = "cost of one database load")
  long loadMillis;

  @Option(names = "--pool", defaultValue = "16", description = "database connections per node")
  int poolSize;

  @Option(names = "--jdbc", defaultValue = "jdbc:postgresql://127.0.0.1:5432/test")
  String jdbcUrl;

  @Option(names = "--jdbc-user", defaultValue = "postgres")
  String jdbcUser;

  @Option(names = "--redis", defaultValue = "redis://127.0.0.1:6379")
  String redisUrl;

  @Option(
      names = "--think-us",
      defaultValue = "100",
      description =
          "pause between one reader's calls (readers are virtual threads, like the app's request threads)")
  long thinkMicros;

  @Option(
      names = "--jitter",
      defaultValue = "0.2",
      description = "guarded: fraction of the ttl used to spread expiries")
  double jitter;

  @Option(
      names = "--early-beta",
      defaultValue = "1.0",
      description = "guarded: XFetch beta, 0 turns early refresh off")
  double earlyBeta;

  @Option(names = "--strategies", defaultValue = "naive,spring,guarded", split = ",")
  List<String> strategies;

  record Result(
      String strategy,
      long requests,
      long loads,
      long overlapping,
      double expiries,
      Histogram latency,
      Histogram age,
      double seconds) {}

  @Override
  public void run() {
    Duration ttl = Duration.ofMillis(ttlMillis);
    List<Result> results = new ArrayList<>();
    for (String strategy : strategies) {
      List<SlowSource> sources = new ArrayList<>();
      List<StockReader> nodeReaders = new ArrayList<>();
      SlowSource.Ledger ledger = new SlowSource.Ledger();
      String prefix =
          "bench:" + strategy + ":" + UUID.randomUUID().toString().substring(0, 8) + ":";
      for (int n = 0; n < nodes; n++) {
        SlowSource source = new SlowSource(ledger, jdbcUrl, jdbcUser, poolSize, loadMillis);
        sources.add(source);
        nodeReaders.add(reader(strategy, source, prefix, ttl));
      }
      try {
        measure(nodeReaders, Duration.ofSeconds(warmupSeconds));
        long loadsBefore = ledger.loads();
        long overlappingBefore = ledger.overlapping();
        Result r = measure(nodeReaders, Duration.ofSeconds(seconds));
        results.add(
            new Result(
                strategy,
                r.requests(),
                ledger.loads() - loadsBefore,
                ledger.overlapping() - overlappingBefore,
                seconds * 1000.0 / ttlMillis,
                r.latency(),
                r.age(),
                seconds));
        System.err.printf("%s done%n", strategy);
      } finally {
        nodeReaders.forEach(StockReader::close);
        sources.forEach(SlowSource::close);
      }
    }
    print(ttl, results);
  }

  private StockReader reader(String strategy, SlowSource source, String prefix, Duration ttl) {
    return switch (strategy) {
      case "naive" -> new NaiveCacheAside(redisUrl, source, prefix, ttl);
      case "spring" ->
          new SpringCacheableReader(
              new SpringCacheableReader.Settings(redisUrl, source, prefix, ttl));
      case "guarded" -> new GuardedReader(redisUrl, source, prefix, ttl, jitter, earlyBeta);
      default -> throw new IllegalArgumentException("unknown strategy " + strategy);
    };
  }

  private Result measure(List<StockReader> nodeReaders, Duration duration) {
    LatencyRecorder latency = new LatencyRecorder();
    Recorder age = new Recorder(3);
    LongAdder requests = new LongAdder();
    AtomicBoolean running = new AtomicBoolean(true);
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    for (int r = 0; r < readers; r++) {
      StockReader node = nodeReaders.get(r % nodeReaders.size());
      threads.add(
          Thread.ofVirtual()
              .start(
                  () -> {
                    try {
                      start.await();
                    } catch (InterruptedException e) {
                      return;
                    }
                    while (running.get()) {
                      long t0 = System.nanoTime();
                      long readAt = node.remaining("G1-20261201");
                      latency.record(t0);
                      age.recordValue(Math.max(0, System.currentTimeMillis() - readAt));
                      requests.increment();
                      if (thinkMicros > 0) {
                        LockSupport.parkNanos(thinkMicros * 1_000);
                      }
                    }
                  }));
    }
    latency.interval();
    age.reset();
    start.countDown();
    sleep(duration);
    running.set(false);
    threads.forEach(CacheScenario::join);
    return new Result(
        "",
        requests.sum(),
        0,
        0,
        0,
        latency.interval(),
        age.getIntervalHistogram(),
        duration.toSeconds());
  }

  private void print(Duration ttl, List<Result> results) {
    System.out.printf(
        "%n%d nodes, %d readers on one hot key (%d µs pause between calls), ttl %d ms, database load %d ms, %d s per strategy, %d cores, Java %s%n%n",
        nodes,
        readers,
        thinkMicros,
        ttl.toMillis(),
        loadMillis,
        seconds,
        Runtime.getRuntime().availableProcessors(),
        Runtime.version());
    System.out.println(
        "| strategy | reads/s | DB loads | loads per ttl | overlapping loads | p50 ms | p99 ms | p99.9 ms | max ms | answer age p99 / max ms |");
    System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for (Result r : results) {
      Histogram h = r.latency();
      System.out.printf(
          "| %s | %,.0f | %d | %.2f | %d | %s | %s | %s | %s | %d / %d |%n",
          label(r.strategy()),
          r.requests() / r.seconds(),
          r.loads(),
          r.loads() / r.expiries(),
          r.overlapping(),
          LatencyRecorder.millis(h, 50),
          LatencyRecorder.millis(h, 99),
          LatencyRecorder.millis(h, 99.9),
          String.format("%.1f", h.getMaxValue() / 1000.0),
          r.age().getValueAtPercentile(99),
          r.age().getMaxValue());
    }
  }

  private static String label(String strategy) {
    return switch (strategy) {
      case "naive" -> "naive cache-aside (GET; miss → load + SET)";
      case "spring" -> "Spring `@Cacheable(sync = true)`, Caffeine + Redis";
      case "guarded" -> "Railrush `GuardedCache`";
      default -> strategy;
    };
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void join(Thread t) {
    try {
      t.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
