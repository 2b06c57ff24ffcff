package io.railrush.bench.payment;

import io.railrush.bench.KeepAliveConnection;
import io.railrush.bench.LatencyRecorder;
import io.railrush.bench.ScratchServers;
import io.railrush.bench.UserTokens;
import io.railrush.bench.grab.AppServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * Payment notifications at a fixed rate (open loop: each notification leaves at its scheduled
 * instant whether or not earlier ones were answered), in the simulator's format, spread over two
 * cluster nodes of the server jar on PostgreSQL, Redis and RabbitMQ. Measures how long the provider
 * waits for its answer, and how fast the payments are settled behind it.
 */
@Command(
    name = "payments",
    mixinStandardHelpOptions = true,
    description = "Payment notifications at 1k and 5k/s on two nodes: answer latency, settled/s")
public final class PaymentScenario implements Runnable {

  private static final String SECRET = "bench-secret-of-at-least-thirty-two-bytes";
  private static final String ADMIN = "bench-admin-token";
  private static final String SIM_SECRET = "bench-sim-secret";
  private static final ObjectMapper JSON = JsonMapper.builder().build();

  @Option(
      names = "--rates",
      split = ",",
      defaultValue = "1000,5000",
      description = "notifications/s")
  List<Integer> rates;

  @Option(names = "--seconds", defaultValue = "5", description = "measured seconds per rate")
  int seconds;

  @Option(names = "--warmup", defaultValue = "10", description = "seconds at the lowest rate first")
  int warmup;

  @Option(
      names = "--connections",
      defaultValue = "256",
      description = "the provider's concurrent calls at most")
  int connections;

  @Option(
      names = "--client",
      defaultValue = "LEAN",
      description =
          "how the provider calls: lean (keep-alive sockets, the grab bench's client) or jdk"
              + " (java.net.http.HttpClient, dearer per call on the same two cores)")
  ProviderClient client;

  enum ProviderClient {
    LEAN,
    JDK
  }

  @Option(
      names = "--settlers",
      defaultValue = "2",
      description = "concurrent settlements per node (railrush.payment.settlers)")
  int settlers;

  @Option(names = "--jar", defaultValue = "app/target/railrush-app.jar")
  Path jar;

  @Option(names = "--server-java-options", split = " ", defaultValue = "-Xmx1g")
  List<String> serverJavaOptions;

  @Option(names = "--postgres", defaultValue = "jdbc:postgresql://127.0.0.1:5432/")
  String postgres;

  @Option(names = "--redis", defaultValue = "redis://127.0.0.1:6379")
  String redis;

  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .executor(Executors.newVirtualThreadPerTaskExecutor())
          .build();
  private final PaymentProviderSimulator provider = new PaymentProviderSimulator(SIM_SECRET);
  private final AtomicInteger trains = new AtomicInteger(6000);
  private final AtomicInteger users = new AtomicInteger();

  @Override
  public void run() {
    String id = UUID.randomUUID().toString().substring(0, 8);
    String database = "railrush_bench_pay_" + id;
    List<AppServer> nodes = new ArrayList<>();
    try {
      ScratchServers.sql(postgres + "test", "create database " + database);
      List<String> args =
          List.of(
              "--spring.profiles.active=cluster",
              "--spring.datasource.url=" + postgres + database,
              "--spring.data.redis.url=" + redis,
              "--railrush.auth.secret=" + SECRET,
              "--railrush.admin.token=" + ADMIN,
              "--railrush.payment.sim.secret=" + SIM_SECRET,
              "--railrush.payment.query-after=1h",
              "--railrush.payment.settlers=" + settlers,
              "--railrush.payment.bus-name=railrush.bench." + id + ".payment",
              "--railrush.grab.bus.name=railrush.bench." + id,
              "--railrush.grab.key-prefix=bench:" + id + ":grab:",
              "--railrush.order.key-prefix=bench:" + id + ":order:",
              "--railrush.cache.key-prefix=bench:" + id + ":cache:",
              "--railrush.coordination.key-prefix=bench:" + id,
              "--railrush.catalog.sample-data=false",
              "--logging.level.root=WARN");
      for (int n = 1; n <= 2; n++) {
        Path log = Files.createTempFile("railrush-bench-pay-node" + n, ".log");
        System.err.printf("starting node %d (log %s)%n", n, log);
        nodes.add(AppServer.start(jar, serverJavaOptions, args, log));
      }
      List<String> rows = new ArrayList<>();
      int lowest = rates.stream().min(Integer::compare).orElseThrow();
      System.err.printf("warming up at %,d/s for %d s%n", lowest, warmup);
      phase(nodes, database, lowest, warmup);
      for (int rate : rates) {
        rows.add(phase(nodes, database, rate, seconds));
      }
      System.out.printf(
          "%n2 cluster nodes (PostgreSQL, Redis, RabbitMQ), %d s per rate, %s client, %d cores,"
              + " Java %s%n%n",
          seconds,
          client.name().toLowerCase(Locale.ROOT),
          Runtime.getRuntime().availableProcessors(),
          Runtime.version());
      System.out.println(
          "| notifications/s asked | sent/s | first call 200 | first call other | first-call answer p50 / p99 / p99.9 / max ms | in the server, mean ms | acknowledged (with retries) | all settled after | settled/s | notification → lottery draw p50 / p99 ms | PaymentSucceeded relayed/s | audit |");
      System.out.println("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|");
      rows.forEach(System.out::println);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    } finally {
      for (AppServer node : nodes) {
        try {
          node.close();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      provider.close();
      closeIdleConnections();
      try {
        ScratchServers.sql(
            postgres + "test", "drop database if exists " + database + " with (force)");
        ScratchServers.deleteBus("railrush.bench." + id);
        ScratchServers.deleteBus("railrush.bench." + id + ".payment");
      } catch (Exception cleanup) {
        System.err.println("clean-up: " + cleanup);
      }
    }
  }

  /** Idle keep-alive connections per node, for the lean client. */
  private final Map<URI, Queue<KeepAliveConnection>> idle = new ConcurrentHashMap<>();

  private void closeIdleConnections() {
    idle.values()
        .forEach(
            pool -> {
              for (KeepAliveConnection c; (c = pool.poll()) != null; ) {
                c.close();
              }
            });
  }

  /** One call of the provider to a notify endpoint: the answer's status. */
  private int notify(URI target, byte[] body, String signature) throws Exception {
    if (client == ProviderClient.JDK) {
      return http.send(
              HttpRequest.newBuilder(target)
                  .timeout(Duration.ofSeconds(10))
                  .header("Content-Type", "application/json")
                  .header("X-Sim-Signature", signature)
                  .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                  .build(),
              HttpResponse.BodyHandlers.discarding())
          .statusCode();
    }
    Queue<KeepAliveConnection> pool =
        idle.computeIfAbsent(target, t -> new ConcurrentLinkedQueue<>());
    KeepAliveConnection connection = pool.poll();
    if (connection == null) {
      connection =
          new KeepAliveConnection(target.getHost(), target.getPort(), Duration.ofSeconds(10));
    }
    KeepAliveConnection.Answer answer =
        connection.send(
            "POST",
            target.getPath(),
            Map.of("Content-Type", "application/json", "X-Sim-Signature", signature),
            body);
    pool.offer(connection); // a failed send threw and closed it instead
    return answer.status();
  }

  /** One rate: prepares the payments, sends their notifications on schedule, awaits settlement. */
  private String phase(List<AppServer> nodes, String database, int rate, int secs)
      throws Exception {
    int count = rate * secs;
    List<Payment> payments = prepare(nodes.getFirst(), database, count);
    List<URI> targets =
        nodes.stream().map(n -> URI.create(n.base() + "/api/v1/payments/notify/sim")).toList();
    LatencyRecorder latency = new LatencyRecorder();
    AtomicLong ok = new AtomicLong();
    AtomicLong other = new AtomicLong();
    AtomicLong acknowledged = new AtomicLong();
    AtomicLong failures = new AtomicLong();
    // a provider calls back over a bounded number of connections; a call waiting for one is
    // still measured from its scheduled instant
    Semaphore connections = new Semaphore(this.connections);
    long settledBefore = settled(database);
    double[] serverBefore = serverTimes(nodes);
    long intervalNanos = 1_000_000_000L / rate;
    System.err.printf("sending %,d notifications at %,d/s%n", count, rate);
    long start = System.nanoTime();
    long phaseStartMs = System.currentTimeMillis();
    double sendingSeconds;
    try (ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < count; i++) {
        long due = start + i * intervalNanos;
        long wait = due - System.nanoTime();
        if (wait > 0) {
          java.util.concurrent.locks.LockSupport.parkNanos(wait);
        }
        Payment p = payments.get(i);
        URI target = targets.get(i % targets.size());
        senders.submit(
            () -> {
              PaymentProviderSimulator.Notification n =
                  provider.pay(p.outTradeNo(), p.amountCents());
              byte[] body = n.body().getBytes(StandardCharsets.UTF_8);
              String signature = provider.sign(body);
              // the first call is the one measured; a provider calls again after 1 s, 2 s, 5 s, 10
              // s
              for (int call = 0; call <= PaymentProviderSimulator.RETRY_AFTER.size(); call++) {
                if (call > 0) {
                  try {
                    Thread.sleep(PaymentProviderSimulator.RETRY_AFTER.get(call - 1));
                  } catch (InterruptedException e) {
                    return;
                  }
                }
                boolean answered;
                try {
                  connections.acquire();
                } catch (InterruptedException e) {
                  return;
                }
                try {
                  answered = notify(target, body, signature) == 200;
                } catch (Exception e) {
                  answered = false;
                  if (failures.incrementAndGet() <= 3) {
                    System.err.println("call failed: " + e);
                  }
                } finally {
                  connections.release();
                }
                if (call == 0) {
                  latency.record(due); // from the scheduled instant: queueing counts
                  (answered ? ok : other).incrementAndGet();
                }
                if (answered) {
                  acknowledged.incrementAndGet();
                  return;
                }
              }
            });
      }
      sendingSeconds = (System.nanoTime() - start) / 1e9;
      System.err.printf("sent in %.1f s; awaiting answers and settlement%n", sendingSeconds);
    } // waits for every notification to be acknowledged or given up after five calls
    closeIdleConnections(); // the nodes close a connection idle for 60 s; the next phase opens anew
    long target = settledBefore + acknowledged.get();
    while (settled(database) < target
        && System.nanoTime() - start < Duration.ofMinutes(5).toNanos()) {
      // each poll counts the whole inbox: every 20 ms it took about half a core from the system
      // under test (the database's slow-statement log showed 672 counts of ~20 ms in one phase)
      Thread.sleep(250);
    }
    double settledAfter = (System.nanoTime() - start) / 1e9;
    String afterPayment = afterPayment(database, phaseStartMs, settledBefore + acknowledged.get());
    double[] serverAfter = serverTimes(nodes);
    double serverMeanMillis =
        (serverAfter[1] - serverBefore[1]) / Math.max(1, serverAfter[0] - serverBefore[0]) * 1000;
    long settledNow = settled(database);
    Histogram h = latency.interval();
    String audit = audit(database);
    System.err.printf(
        "%,d/s: %,d answered 200, %,d other; settled %,d in %.1f s%n",
        rate, ok.get(), other.get(), settledNow - settledBefore, settledAfter);
    return String.format(
        "| %,d | %,.0f | %,d | %,d | %s / %s / %s / %s | %.1f | %,d | %.2f s | %,.0f | %s | %s |",
        rate,
        count / sendingSeconds,
        ok.get(),
        other.get(),
        LatencyRecorder.millis(h, 50),
        LatencyRecorder.millis(h, 99),
        LatencyRecorder.millis(h, 99.9),
        LatencyRecorder.millis(h, 100),
        serverMeanMillis,
        acknowledged.get(),
        settledAfter,
        (settledNow - settledBefore) / settledAfter,
        afterPayment,
        audit);
  }

  private record Payment(String outTradeNo, long amountCents) {}

  /**
   * Count and total seconds of the notify endpoint's requests as the nodes themselves timed them
   * (Micrometer's {@code http.server.requests}): time spent inside the server, without the wait for
   * a connection or a Tomcat thread.
   */
  private double[] serverTimes(List<AppServer> nodes) throws Exception {
    double count = 0;
    double seconds = 0;
    for (AppServer node : nodes) {
      HttpResponse<String> metrics =
          http.send(
              HttpRequest.newBuilder(URI.create(node.base() + "/actuator/prometheus")).build(),
              HttpResponse.BodyHandlers.ofString());
      for (String line : metrics.body().split("\n")) {
        if (!line.contains("uri=\"/api/v1/payments/notify/sim\"")) {
          continue;
        }
        double value = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        if (line.startsWith("http_server_requests_seconds_count")) {
          count += value;
        } else if (line.startsWith("http_server_requests_seconds_sum")) {
          seconds += value;
        }
      }
    }
    return new double[] {count, seconds};
  }

  /** {@code count} CREATED orders (grabs on fresh runs of 5,000 seats) with a sim payment each. */
  private List<Payment> prepare(AppServer node, String database, int count) throws Exception {
    System.err.printf("preparing %,d orders with payments%n", count);
    List<String[]> orders = new ArrayList<>(count);
    Semaphore slots = new Semaphore(64);
    List<String> runs = new ArrayList<>();
    for (int made = 0; made < count; made += 5_000) {
      runs.add(createRun(node, Math.min(5_000, count - made)));
    }
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      List<java.util.concurrent.Future<String[]>> futures = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        String runId = runs.get(i / 5_000);
        futures.add(
            threads.submit(
                () -> {
                  slots.acquire();
                  try {
                    String token = UserTokens.signed(SECRET, "payer-" + users.incrementAndGet());
                    HttpResponse<String> grab =
                        post(node.base() + "/api/v1/runs/" + runId + "/grabs", token, "");
                    if (grab.statusCode() != 202) {
                      throw new IllegalStateException(
                          "grab: " + grab.statusCode() + " " + grab.body());
                    }
                    return new String[] {
                      JSON.readTree(grab.body()).path("orderNo").asString(), token
                    };
                  } finally {
                    slots.release();
                  }
                }));
      }
      for (var future : futures) {
        orders.add(future.get());
      }
    }
    long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
    while (countIn(database, "select count(*) from ticket_order where status = 'CREATED'") < count
        && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    List<Payment> payments = new ArrayList<>(count);
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      List<java.util.concurrent.Future<Payment>> futures = new ArrayList<>();
      for (String[] order : orders) {
        futures.add(
            threads.submit(
                () -> {
                  slots.acquire();
                  try {
                    HttpResponse<String> created =
                        post(
                            node.base() + "/api/v1/orders/" + order[0] + "/payments",
                            order[1],
                            "{\"provider\":\"sim\"}");
                    if (created.statusCode() != 201) {
                      throw new IllegalStateException(
                          "payment: " + created.statusCode() + " " + created.body());
                    }
                    var json = JSON.readTree(created.body());
                    return new Payment(
                        json.path("outTradeNo").asString(), json.path("amountCents").asLong());
                  } finally {
                    slots.release();
                  }
                }));
      }
      for (var future : futures) {
        payments.add(future.get());
      }
    }
    return payments;
  }

  private long settled(String database) throws Exception {
    return countIn(
        database, "select count(*) from payment_notification where settled_at_ms is not null");
  }

  /** The payment invariants, read in one snapshot once the phase's notifications are settled. */
  private String audit(String database) throws Exception {
    try (Connection c = DriverManager.getConnection(postgres + database, "postgres", "")) {
      c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
      c.setAutoCommit(false);
      long settlements = single(c, "select count(*) from payment_settlement");
      long paid = single(c, "select count(*) from payment where status = 'PAID'");
      long paidOrders = single(c, "select count(*) from ticket_order where status = 'PAID'");
      long applied =
          single(c, "select count(*) from payment_notification where outcome = 'APPLIED'");
      long unsettled =
          single(c, "select count(*) from payment_notification where settled_at_ms is null");
      c.commit();
      boolean ok = settlements == paid && paid == paidOrders && applied == paid;
      return String.format(
          "%s: %,d PAID orders, %,d PAID payments, %,d settlement records, %,d applied%s",
          ok ? "ok" : "VIOLATED",
          paidOrders,
          paid,
          settlements,
          applied,
          unsettled == 0 ? "" : String.format(" (%,d still unsettled)", unsettled));
    }
  }

  /**
   * The after-payment saga for this phase: waits until every paid order has its lottery draw, then
   * reads from the database the lag from a payment's first recorded notification to its order's
   * draw (the coupon and the draw are one transaction), and the rate at which the relay published
   * the phase's PaymentSucceeded messages (bounded by the settlement rate that writes them).
   */
  private String afterPayment(String database, long phaseStartMs, long paidTarget)
      throws Exception {
    String url = postgres + database;
    long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
    while (count(url, "select count(*) from lottery_draw") < paidTarget
        && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    List<Long> lags = new ArrayList<>();
    try (Connection c = DriverManager.getConnection(url, "postgres", "");
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "select d.granted_at_ms - min(n.received_at_ms) from lottery_draw d"
                    + " join payment p on p.order_no = d.order_no"
                    + " join payment_notification n on n.out_trade_no = p.out_trade_no"
                    + " where n.received_at_ms >= "
                    + phaseStartMs
                    + " group by d.order_no, d.granted_at_ms")) {
      while (rs.next()) {
        lags.add(rs.getLong(1));
      }
    }
    long relayed;
    long firstMs;
    long lastMs;
    try (Connection c = DriverManager.getConnection(url, "postgres", "");
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "select count(*), min(published_at_ms), max(published_at_ms) from message_outbox"
                    + " where message_type = 'PaymentSucceeded' and created_at_ms >= "
                    + phaseStartMs)) {
      rs.next();
      relayed = rs.getLong(1);
      firstMs = rs.getLong(2);
      lastMs = rs.getLong(3);
    }
    if (lags.isEmpty()) {
      return "– | –";
    }
    lags.sort(null);
    return String.format(
        "%,d / %,d | %,.0f",
        lags.get(lags.size() / 2),
        lags.get(Math.min(lags.size() - 1, (int) Math.ceil(lags.size() * 0.99) - 1)),
        relayed / Math.max(0.001, (lastMs - firstMs) / 1000.0));
  }

  private static long single(Connection c, String sql) throws Exception {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private HttpResponse<String> post(String url, String token, String body) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private String createRun(AppServer node, int seats) throws Exception {
    int n = trains.incrementAndGet();
    String date = LocalDate.now(ZoneId.of("Asia/Shanghai")).plusDays(1 + n % 300).toString();
    HttpResponse<String> created =
        post(
            node.base() + "/api/v1/admin/runs",
            ADMIN,
            """
            {"trainNo":"G%d","departureDate":"%s","origin":"北京南","destination":"上海虹桥","departureTime":"08:00","seats":%d,"priceCents":55300}
            """
                .formatted(n, date, seats));
    if (created.statusCode() != 201) {
      throw new IllegalStateException("cannot create a run: " + created.body());
    }
    return JSON.readTree(created.body()).path("runId").asString();
  }

  private static long count(String url, String sql) throws Exception {
    try (Connection c = DriverManager.getConnection(url, "postgres", "");
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private long countIn(String database, String sql) throws Exception {
    return count(postgres + database, sql);
  }
}
