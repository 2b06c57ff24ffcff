package io.railrush.bench.lock;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.railrush.bench.LatencyRecorder;
import io.railrush.kit.id.OrderNumberGenerator;
import io.railrush.kit.id.WorkerIdLease;
import io.railrush.kit.id.WorkerIds;
import io.railrush.kit.lock.LockHandle;
import io.railrush.kit.lock.LockService;
import io.railrush.kit.lock.Locks;
import io.railrush.kit.redis.RedisConnector;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.recipes.locks.InterProcessMutex;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.curator.test.TestingServer;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Lock acquire+release pairs per second and their latency under contention, for each backend and
 * the libraries they are measured against, in one process on the same servers; then order numbers
 * per second, lock-guarded versus lock-free.
 */
@Command(
    name = "locks",
    mixinStandardHelpOptions = true,
    description = "Locks: Railrush vs Redisson vs Curator; order numbers")
public final class LockScenario implements Runnable {

  @Option(names = "--seconds", defaultValue = "5", description = "measured seconds per cell")
  int seconds;

  @Option(names = "--redis", defaultValue = "redis://127.0.0.1:6379")
  String redisUrl;

  @Option(names = "--jdbc", defaultValue = "jdbc:postgresql://127.0.0.1:5432/test")
  String jdbcUrl;

  @Option(names = "--jdbc-user", defaultValue = "postgres")
  String jdbcUser;

  @Option(
      names = "--zookeeper",
      description = "connect string; default: an in-process ZooKeeper (Curator TestingServer)")
  String zooKeeper;

  @Option(
      names = "--backends",
      defaultValue = "railrush-redis,redisson,railrush-zookeeper,curator,railrush-postgres",
      split = ",")
  List<String> backends;

  /** One way to take and give back a named lock. */
  interface PairUnderTest {
    void lockUnlock(String name) throws Exception;
  }

  record Cell(String label, int threads, int names) {}

  @Override
  public void run() {
    String run = UUID.randomUUID().toString().substring(0, 8);
    List<Cell> cells =
        List.of(
            new Cell("1 thread, 1 name", 1, 1),
            new Cell("8 threads, 1 name", 8, 1),
            new Cell("64 threads, 1 name", 64, 1),
            new Cell("64 threads, 1,000 names", 64, 1_000));
    Map<String, List<String>> rows = new LinkedHashMap<>();
    try (Resources r = new Resources(run)) {
      for (String backend : backends) {
        PairUnderTest pair = r.pair(backend);
        List<String> row = new ArrayList<>();
        for (Cell cell : cells) {
          String names = run + ":" + backend + ":" + cell.threads() + "x" + cell.names();
          measure(pair, cell, Duration.ofSeconds(1), names);
          Result result = measure(pair, cell, Duration.ofSeconds(seconds), names);
          row.add(
              String.format(
                  "%,.0f / %s", result.perSecond(), LatencyRecorder.millis(result.latency(), 99)));
          System.err.printf("%s %s: %,.0f/s%n", backend, cell.label(), result.perSecond());
        }
        rows.put(backend, row);
      }
      System.out.printf(
          "%nacquire+release pairs per second / p99 ms, %d s per cell, %d cores, Java %s, ZooKeeper %s%n%n",
          seconds,
          Runtime.getRuntime().availableProcessors(),
          Runtime.version(),
          zooKeeper == null ? "in-process (TestingServer)" : zooKeeper);
      StringBuilder header = new StringBuilder("| backend |");
      StringBuilder rule = new StringBuilder("|---|");
      for (Cell cell : cells) {
        header.append(' ').append(cell.label()).append(" |");
        rule.append("---:|");
      }
      System.out.println(header);
      System.out.println(rule);
      rows.forEach(
          (backend, row) ->
              System.out.println("| " + backend + " | " + String.join(" | ", row) + " |"));
      orderNumbers(r, run);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  record Result(double perSecond, Histogram latency) {}

  private static Result measure(PairUnderTest pair, Cell cell, Duration duration, String prefix)
      throws Exception {
    LatencyRecorder latency = new LatencyRecorder();
    LongAdder pairs = new LongAdder();
    AtomicBoolean running = new AtomicBoolean(true);
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
    for (int t = 0; t < cell.threads(); t++) {
      threads.add(
          Thread.ofPlatform()
              .start(
                  () -> {
                    try {
                      start.await();
                      while (running.get()) {
                        String name =
                            prefix + "-" + ThreadLocalRandom.current().nextInt(cell.names());
                        long t0 = System.nanoTime();
                        pair.lockUnlock(name);
                        latency.record(t0);
                        pairs.increment();
                      }
                    } catch (Throwable e) {
                      failures.add(e);
                    }
                  }));
    }
    latency.interval();
    long started = System.nanoTime();
    start.countDown();
    Thread.sleep(duration.toMillis());
    running.set(false);
    for (Thread t : threads) {
      t.join();
    }
    if (!failures.isEmpty()) {
      throw new IllegalStateException("a worker failed", failures.get(0));
    }
    double elapsed = (System.nanoTime() - started) / 1e9;
    return new Result(pairs.sum() / elapsed, latency.interval());
  }

  private void orderNumbers(Resources r, String run) throws Exception {
    int threads = 8;
    LockService locks = Locks.redis(r.redis, "bench:" + run + ":order-lock:");
    String counterKey = "bench:" + run + ":last-order-number";
    PairUnderTest guarded =
        name -> {
          try (LockHandle lock =
              locks
                  .tryAcquire("order-number", Duration.ofSeconds(30), Duration.ofSeconds(10))
                  .orElseThrow()) {
            String last = r.redis.sync().get(counterKey);
            r.redis
                .sync()
                .set(counterKey, Long.toString(last == null ? 1 : Long.parseLong(last) + 1));
          }
        };
    WorkerIdLease lease =
        WorkerIds.fromRedis(r.redis, "bench:" + run + ":ids:", Duration.ofSeconds(10));
    OrderNumberGenerator generator = new OrderNumberGenerator(lease);
    PairUnderTest lockFree = name -> generator.next();
    Cell cell = new Cell("order numbers", threads, 1);
    measure(guarded, cell, Duration.ofSeconds(1), "warm");
    Result slow = measure(guarded, cell, Duration.ofSeconds(seconds), "guarded");
    measure(lockFree, cell, Duration.ofSeconds(1), "warm");
    Result fast = measure(lockFree, cell, Duration.ofSeconds(seconds), "free");
    System.out.printf(
        "%norder numbers, %d threads%n%n| generator | numbers/s | p99 ms |%n|---|---:|---:|%n",
        threads);
    System.out.printf(
        "| read-increment-write under the Railrush Redis lock (the naive approach) | %,.0f | %s |%n",
        slow.perSecond(), LatencyRecorder.millis(slow.latency(), 99));
    System.out.printf(
        "| lock-free `OrderNumberGenerator`, worker id leased from Redis | %,.0f | %s |%n",
        fast.perSecond(), String.format("%.4f", fast.latency().getValueAtPercentile(99) / 1000.0));
    System.out.printf(
        "%nratio lock-free / lock-guarded: %.0f×%n", fast.perSecond() / slow.perSecond());
    lease.close();
    locks.close();
  }

  /** The clients every backend needs, opened once. */
  private final class Resources implements AutoCloseable {
    final String run;
    final RedisConnector redis;
    private RedissonClient redisson;
    private TestingServer zkServer;
    private CuratorFramework curator;
    private HikariDataSource postgres;
    private final List<AutoCloseable> closeables = new ArrayList<>();

    Resources(String run) {
      this.run = run;
      this.redis = RedisConnector.of(redisUrl);
    }

    PairUnderTest pair(String backend) throws Exception {
      return switch (backend) {
        case "railrush-redis" -> railrush(Locks.redis(redis, "bench:" + run + ":lock:"));
        case "redisson" -> {
          Config config = new Config();
          config
              .useSingleServer()
              .setAddress(redisUrl)
              .setConnectionPoolSize(64)
              .setConnectionMinimumIdleSize(16);
          redisson = Redisson.create(config);
          yield name -> {
            var lock = redisson.getLock("bench:" + run + ":redisson:" + name);
            lock.lock();
            lock.unlock();
          };
        }
        case "railrush-zookeeper" ->
            railrush(Locks.zooKeeper(curator(), "/bench/" + run + "/railrush"));
        case "curator" -> {
          CuratorFramework client = curator();
          ConcurrentHashMap<String, InterProcessMutex> mutexes = new ConcurrentHashMap<>();
          yield name -> {
            InterProcessMutex mutex =
                mutexes.computeIfAbsent(
                    name, n -> new InterProcessMutex(client, "/bench/" + run + "/curator/" + n));
            mutex.acquire();
            mutex.release();
          };
        }
        case "railrush-postgres" -> railrush(Locks.database(postgres()));
        default -> throw new IllegalArgumentException("unknown backend " + backend);
      };
    }

    private PairUnderTest railrush(LockService locks) {
      closeables.add(locks);
      return name ->
          locks
              .tryAcquire(name, Duration.ofSeconds(60), Duration.ofSeconds(10))
              .orElseThrow()
              .release();
    }

    private CuratorFramework curator() throws Exception {
      if (curator == null) {
        String connect = zooKeeper;
        if (connect == null) {
          zkServer = new TestingServer(true);
          connect = zkServer.getConnectString();
        }
        curator =
            CuratorFrameworkFactory.newClient(
                connect, 10_000, 5_000, new ExponentialBackoffRetry(50, 10));
        curator.start();
        curator.blockUntilConnected(10, TimeUnit.SECONDS);
      }
      return curator;
    }

    private HikariDataSource postgres() throws Exception {
      if (postgres == null) {
        String schema = "bench_" + run;
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        config.setUsername(jdbcUser);
        config.setMaximumPoolSize(16);
        try (HikariDataSource admin = new HikariDataSource(config);
            Connection c = admin.getConnection();
            Statement s = c.createStatement()) {
          s.execute("create schema " + schema);
        }
        config.setJdbcUrl(
            jdbcUrl + (jdbcUrl.contains("?") ? "&" : "?") + "currentSchema=" + schema);
        postgres = new HikariDataSource(config);
        try (InputStream ddl = Locks.class.getResourceAsStream("distributed_lock.sql");
            Connection c = postgres.getConnection();
            Statement s = c.createStatement()) {
          s.execute(
              new String(ddl.readAllBytes(), StandardCharsets.UTF_8).replaceAll("(?m)^--.*$", ""));
        }
      }
      return postgres;
    }

    @Override
    public void close() throws Exception {
      for (AutoCloseable c : closeables) {
        c.close();
      }
      if (redisson != null) {
        redisson.shutdown();
      }
      if (curator != null) {
        curator.close();
      }
      if (zkServer != null) {
        zkServer.close();
      }
      if (postgres != null) {
        postgres.close();
      }
      redis.close();
    }
  }
}
