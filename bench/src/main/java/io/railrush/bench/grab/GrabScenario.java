package io.railrush.bench.grab;

import io.railrush.bench.LatencyRecorder;
import io.railrush.bench.ScratchServers;
import io.railrush.bench.UserTokens;
import io.railrush.bench.report.BenchReport;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * A flash sale over HTTP against the real server jar, one mode after another in one run: N users
 * hammer one run; each request is the next user in turn, so users come back every {@code users}
 * requests and meet their one-attempt window. Per mode: a trivial GET and a cached stock read on
 * the same server (the denominators), then the grab phase, then the audit from the database.
 */
@Command(
    name = "grab",
    mixinStandardHelpOptions = true,
    description = "Flash sale: db-direct vs the pipeline, embedded and cluster")
public final class GrabScenario implements Runnable {

  private static final String SECRET = "bench-secret-of-at-least-thirty-two-bytes";
  private static final String ADMIN = "bench-admin-token";

  /** The servers' user-token secret and admin token: the bench's own, or a target cluster's. */
  private String userSecret = SECRET;

  private String adminToken = ADMIN;

  /** Printed after the table (the target's payment audit). */
  private String afterTable = "";

  private static final ObjectMapper JSON = JsonMapper.builder().build();
  private static final Pattern EXPORT = Pattern.compile("^export (RAILRUSH_[A-Z_]+)=(.*)$");

  @Option(
      names = "--modes",
      split = ",",
      defaultValue = "embedded:db-direct,embedded:pipeline,cluster:db-direct,cluster:pipeline",
      description =
          "profile:strategy pairs; profile embedded-lazy is embedded mode with H2's default 500 ms"
              + " write delay instead of the shipped WRITE_DELAY=0 (to price durable commits);"
              + " cluster-unbundled is cluster mode sending each accepted grab in a message of its"
              + " own (to price bundling); a profile ending in -mvc (embedded-mvc, cluster-mvc)"
              + " sends every grab through Spring MVC instead of the lean path (to price it)")
  List<String> modes;

  @Option(
      names = "--seats",
      defaultValue = "5000",
      description = "at most 5,000 (the API's limit per run)")
  int seats;

  @Option(
      names = "--users",
      defaultValue = "10000",
      description = "distinct users; request k is user k mod users (default: ~3 requests per user)")
  int users;

  @Option(names = "--clients", defaultValue = "128", description = "concurrent client connections")
  int clients;

  @Option(names = "--seconds", defaultValue = "10", description = "measured seconds per phase")
  int seconds;

  @Option(
      names = "--warmup",
      defaultValue = "15",
      description = "seconds of pings, then of grabs on another run, before measuring")
  int warmup;

  @Option(names = "--jar", defaultValue = "app/target/railrush-app.jar")
  Path jar;

  @Option(
      names = "--server-java-options",
      split = " ",
      defaultValue = "-Xmx1g",
      description =
          "JVM options of the server, e.g. '-Xmx1g -XX:StartFlightRecording:filename=grab.jfr'")
  List<String> serverJavaOptions;

  @Option(
      names = "--postgres",
      defaultValue = "jdbc:postgresql://127.0.0.1:5432/",
      description = "cluster mode: a fresh database is created here")
  String postgres;

  @Option(names = "--redis", defaultValue = "redis://127.0.0.1:6379")
  String redis;

  @Option(
      names = "--scenario",
      defaultValue = "sale",
      description =
          "sale: the flash sale above; accept: the accept path alone — every request a user never"
              + " seen before, on runs that never sell out within the phase (--accept-runs runs of"
              + " --seats seats, each taking the next 90 %% of its seats' worth of requests)")
  String scenario;

  @Option(
      names = "--target",
      description =
          "a running cluster's address, e.g. http://127.0.0.1:8088 (the nginx of deploy/cluster.sh):"
              + " the flash sale through it, no server started; its secrets from"
              + " RAILRUSH_AUTH_SECRET and RAILRUSH_ADMIN_TOKEN, else from"
              + " data/cluster/secrets.env")
  URI target;

  @Option(
      names = "--chaos",
      description = "with --target: deploy/chaos.sh ACTION, run --at seconds into the sale")
  String chaos;

  @Option(names = "--at", defaultValue = "3", description = "seconds into the sale of --chaos")
  int chaosAt;

  @Option(
      names = "--payments",
      defaultValue = "200",
      description =
          "with --target: buyers who each hold an order (on a run set aside for them) and pay it"
              + " while the sale (and the chaos action) runs, notified by the provider simulator"
              + " with duplicates; then the payment and promotion audits (0: none; needs"
              + " RAILRUSH_PAYMENT_SIM_SECRET)")
  int targetPayments;

  @Option(
      names = "--accept-runs",
      defaultValue = "40",
      description = "accept scenario: runs created for the measured phase")
  int acceptRuns;

  @Option(
      names = "--report-dir",
      defaultValue = "bench/reports",
      description = "where the HTML report goes (a folder per run)")
  Path reportDir;

  @Option(names = "--no-report", description = "print the table only")
  boolean noReport;

  @Spec CommandSpec spec;

  private BenchReport report;

  private final HttpClient control =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @Override
  public void run() {
    List<String> command = new ArrayList<>(List.of("bench"));
    command.addAll(spec.commandLine().getParseResult().originalArgs());
    report = new BenchReport("Railrush bench: grab (" + scenario + ")", command);
    List<String> rows = new ArrayList<>();
    try {
      if (target != null) {
        rows.add(measureTarget());
      } else {
        for (String mode : modes) {
          rows.add(measure(mode.split(":")[0], mode.split(":")[1]));
        }
      }
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    System.out.printf(
        "%n%d seats, %d users, %d clients, %d s per phase, %d cores, Java %s%n%n",
        seats,
        users,
        clients,
        seconds,
        Runtime.getRuntime().availableProcessors(),
        Runtime.version());
    writeReport();
    if (scenario.equals("accept")) {
      System.out.println(
          "| mode | strategy | ping req/s | 202/s | 202 / ping | server CPU ms per 202 / per ping | other answers | p50 / p99 / p99.9 ms | audit |");
      System.out.println("|---|---|---:|---:|---:|---:|---|---:|---|");
      rows.forEach(System.out::println);
      return;
    }
    System.out.println(
        "| mode | strategy | ping req/s | cached stock reads/s | grab req/s | grab / stock read | grab / ping | after sell-out req/s (/ ping) | 202 | 409 SOLD_OUT | 429 | 503 | p50 / p99 / p99.9 ms | sold out after | orders written/s | audit |");
    System.out.println(
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|");
    rows.forEach(System.out::println);
    System.out.print(afterTable);
  }

  private void writeReport() {
    if (noReport) {
      return;
    }
    try {
      System.out.println("report: " + report.write(reportDir));
    } catch (IOException e) {
      System.err.println("the report could not be written: " + e);
    }
  }

  /** A measured phase for the report. */
  private void addPhase(
      String name,
      HttpLoad.Result result,
      Map<String, String> summary,
      Map<String, String> audit,
      boolean auditOk) {
    report.add(
        new BenchReport.Phase(
            name,
            result.seconds(),
            result.answers(),
            result.answersPerSecond(),
            BenchReport.Phase.percentiles(result.latency()),
            BenchReport.Phase.histogram(result.latency()),
            result.firstSoldOutMillis() < 0 ? null : result.firstSoldOutMillis() / 1000.0,
            summary,
            audit,
            auditOk));
  }

  /** A phase reported by its request rate alone: the ping and the stock reads, the denominators. */
  private void addDenominator(String name, HttpLoad.Result phase) {
    addPhase(
        name,
        phase,
        Map.of("requests/s", String.format("%,.0f", phase.perSecond())),
        Map.of(),
        true);
  }

  private String measure(String profile, String strategy) throws Exception {
    String id = UUID.randomUUID().toString().substring(0, 8);
    boolean mvcOnly = profile.endsWith("-mvc");
    String variant = mvcOnly ? profile.substring(0, profile.length() - "-mvc".length()) : profile;
    boolean lazyCommits = variant.equals("embedded-lazy");
    boolean unbundled = variant.equals("cluster-unbundled");
    String springProfile = lazyCommits ? "embedded" : unbundled ? "cluster" : variant;
    List<String> args =
        new ArrayList<>(
            List.of(
                "--spring.profiles.active=" + springProfile,
                "--railrush.grab.strategy=" + strategy,
                "--railrush.auth.secret=" + SECRET,
                "--railrush.admin.token=" + ADMIN,
                "--railrush.catalog.sample-data=false",
                "--logging.level.root=WARN"));
    String database = null;
    if (springProfile.equals("embedded")) {
      args.add(
          "--spring.datasource.url=jdbc:h2:file:"
              + Files.createTempDirectory("railrush-bench")
              + "/db;DB_CLOSE_ON_EXIT=FALSE"
              + (lazyCommits ? "" : ";WRITE_DELAY=0"));
    } else {
      database = "railrush_bench_" + id;
      ScratchServers.sql(postgres + "test", "create database " + database);
      args.add("--spring.datasource.url=" + postgres + database);
      args.add("--spring.data.redis.url=" + redis);
      args.add("--railrush.grab.key-prefix=bench:" + id + ":grab:");
      args.add("--railrush.cache.key-prefix=bench:" + id + ":cache:");
      args.add("--railrush.coordination.key-prefix=bench:" + id);
      args.add("--railrush.grab.bus.name=railrush.bench." + id);
    }
    if (unbundled) {
      args.add("--railrush.grab.bus.bundle=1");
    }
    if (mvcOnly) {
      args.add("--railrush.grab.lean-http=false");
    }
    // cluster pipeline: the web node only takes grabs; the order writer is its own JVM, started
    // once the sale is over, so it drains the queue at its own pace (peak shaving) and the drain
    // measures what the writer can do rather than how fast grabs arrived
    boolean separateWriter = springProfile.equals("cluster") && strategy.equals("pipeline");
    List<String> writerArgs = new ArrayList<>(args);
    if (separateWriter) {
      args.add("--railrush.roles=web,sweeper");
      args.add("--railrush.grab.backlog-limit=1000000");
      writerArgs.add("--railrush.roles=order");
    }
    Path log = Files.createTempFile("railrush-bench-" + profile + "-" + strategy, ".log");
    System.err.printf("%s / %s: starting the server (log %s)%n", profile, strategy, log);
    AppServer writer = null;
    try (AppServer server = AppServer.start(jar, serverJavaOptions, args, log)) {
      HttpLoad load = new HttpLoad(server.port);
      String warmRun = createRun(server.base(), 900, 5_000);
      warmUp(load, warmRun);
      System.err.printf("%s / %s: warmed up%n", profile, strategy);

      Duration cpuBeforePing = server.cpuTime();
      HttpLoad.Result ping = load.run(clients, Duration.ofSeconds(seconds), k -> ping());
      double cpuPerPing = millisEach(server.cpuTime().minus(cpuBeforePing), ping.count("200"));
      System.err.printf(
          "%s / %s: ping %s, %,.0f/s%n", profile, strategy, ping.answers(), ping.perSecond());
      addDenominator(profile + " / " + strategy + ": ping", ping);
      if (scenario.equals("accept")) {
        return acceptRow(
            profile, strategy, server, load, ping, cpuPerPing, separateWriter, writerArgs);
      }
      HttpLoad.Result stockReads =
          load.run(clients, Duration.ofSeconds(seconds), stockRead(warmRun));
      System.err.printf(
          "%s / %s: cached stock reads %s, %,.0f/s%n",
          profile, strategy, stockReads.answers(), stockReads.perSecond());
      addDenominator(profile + " / " + strategy + ": cached stock read", stockReads);
      String runId = createRun(server.base(), 901, seats);
      String[] tokens = tokens("fan-", users);
      WriteWatcher writes = new WriteWatcher(server.base(), runId);
      writes.start();
      HttpLoad.Result grab =
          load.run(
              clients, Duration.ofSeconds(seconds), k -> grab(runId, tokens[(int) (k % users)]));
      if (separateWriter) {
        Path writerLog = Files.createTempFile("railrush-bench-writer", ".log");
        System.err.printf(
            "%s / %s: sale over, %d accepted; starting the order writer (log %s)%n",
            profile, strategy, grab.count("202"), writerLog);
        writer = AppServer.start(jar, serverJavaOptions, writerArgs, writerLog);
      }
      JsonNode audit = writes.awaitSettled(grab.count("202"), Duration.ofSeconds(120));
      System.err.printf("%s / %s: %s%n", profile, strategy, grab.answers());
      return row(profile, strategy, ping, stockReads, grab, writes, audit);
    } finally {
      if (writer != null) {
        writer.close();
      }
      if (database != null) {
        ScratchServers.sql(
            postgres + "test", "drop database if exists " + database + " with (force)");
        ScratchServers.deleteBus("railrush.bench." + id);
      }
    }
  }

  /** The JIT needs tens of seconds of traffic before a Spring endpoint runs at full speed. */
  private void warmUp(HttpLoad load, String warmRun) throws InterruptedException {
    String[] warmTokens = tokens("warm-", users);
    load.run(clients, Duration.ofSeconds(warmup), k -> ping());
    load.run(
        clients, Duration.ofSeconds(warmup), k -> grab(warmRun, warmTokens[(int) (k % users)]));
  }

  /** Tokens of users {@code prefix0} … {@code prefix(count - 1)}, signed as the servers sign. */
  private String[] tokens(String prefix, int count) {
    String[] tokens = new String[count];
    for (int u = 0; u < count; u++) {
      tokens[u] = UserTokens.signed(userSecret, prefix + u);
    }
    return tokens;
  }

  /** The flash sale through a running cluster, a chaos action during it, then the audit. */
  private String measureTarget() throws Exception {
    if (!target.getHost().equals("127.0.0.1") && !target.getHost().equals("localhost")) {
      throw new IllegalArgumentException("--target must be on this machine (loopback)");
    }
    Map<String, String> secrets = clusterSecrets();
    userSecret = secrets.get("RAILRUSH_AUTH_SECRET");
    adminToken = secrets.get("RAILRUSH_ADMIN_TOKEN");
    String base = target.toString().replaceAll("/$", "");
    int port = target.getPort() < 0 ? 80 : target.getPort();
    HttpLoad load = new HttpLoad(port);
    String warmRun = createRun(base, (int) (System.currentTimeMillis() / 1000 % 200), 5_000);
    warmUp(load, warmRun);
    HttpLoad.Result ping = load.run(clients, Duration.ofSeconds(seconds), k -> ping());
    addDenominator("target: ping", ping);
    HttpLoad.Result stockReads = load.run(clients, Duration.ofSeconds(seconds), stockRead(warmRun));
    System.err.printf("target: cached stock reads %s%n", stockReads.answers());
    addDenominator("target: cached stock read", stockReads);
    TargetPayments payments = null;
    List<TargetPayments.Paying> paying = List.of();
    String payRun = null;
    if (targetPayments > 0) {
      String simSecret = secrets.get("RAILRUSH_PAYMENT_SIM_SECRET");
      if (simSecret == null || simSecret.isBlank()) {
        System.err.println("no RAILRUSH_PAYMENT_SIM_SECRET: the sale runs without payments");
      } else {
        payRun =
            createRun(base, (int) (System.currentTimeMillis() / 1000 % 200) + 2, targetPayments);
        payments = new TargetPayments(base, userSecret, simSecret, adminToken);
        paying = payments.prepare(payRun, targetPayments);
        System.err.printf("target: %d CREATED orders with a payment each%n", paying.size());
      }
    }
    String runId = createRun(base, (int) (System.currentTimeMillis() / 1000 % 200) + 1, seats);
    // users of an earlier sale on the same cluster are still inside their windows
    String[] tokens = tokens("fan-" + Long.toString(System.currentTimeMillis(), 36) + "-", users);
    WriteWatcher writes = new WriteWatcher(base, runId);
    writes.start();
    Thread faultLater = null;
    if (chaos != null) {
      List<String> command = new ArrayList<>(List.of("deploy/chaos.sh"));
      command.addAll(List.of(chaos.trim().split("\\s+")));
      faultLater =
          Thread.ofPlatform()
              .start(
                  () -> {
                    try {
                      Thread.sleep(chaosAt * 1_000L);
                      new ProcessBuilder(command)
                          .redirectErrorStream(true)
                          .redirectOutput(ProcessBuilder.Redirect.INHERIT)
                          .start()
                          .waitFor();
                    } catch (IOException | InterruptedException e) {
                      System.err.println("the chaos action did not run: " + e);
                    }
                  });
    }
    Thread notifying =
        payments == null ? null : payments.notifyDuring(paying, Duration.ofSeconds(seconds));
    HttpLoad.Result grab =
        load.run(clients, Duration.ofSeconds(seconds), k -> grab(runId, tokens[(int) (k % users)]));
    if (faultLater != null) {
      faultLater.join(); // the action is bounded; the audit follows its repair
    }
    String paymentAudit = "";
    if (payments != null) {
      notifying.join();
      TargetPayments.Audit audited = payments.audit(payRun, paying, Duration.ofSeconds(180));
      payments.close();
      paymentAudit = audited.text() + "\n";
    }
    JsonNode audit = writes.awaitSettled(grab.count("202"), Duration.ofSeconds(180));
    System.err.printf("target / %s: %s%n", chaos == null ? "no chaos" : chaos, grab.answers());
    afterTable = paymentAudit;
    return row(
        "target",
        chaos == null ? "–" : chaos + " at " + chaosAt + " s",
        ping,
        stockReads,
        grab,
        writes,
        audit);
  }

  /**
   * RAILRUSH_AUTH_SECRET, RAILRUSH_ADMIN_TOKEN (required) and RAILRUSH_PAYMENT_SIM_SECRET: from the
   * environment, else the cluster's file.
   */
  private static Map<String, String> clusterSecrets() throws IOException {
    Map<String, String> secrets = new HashMap<>();
    Path file =
        Path.of(
            System.getenv().getOrDefault("RAILRUSH_CLUSTER_DIR", "data/cluster"), "secrets.env");
    if (Files.exists(file)) {
      for (String line : Files.readAllLines(file)) {
        Matcher m = EXPORT.matcher(line);
        if (m.matches()) {
          secrets.put(m.group(1), m.group(2));
        }
      }
    }
    if (System.getenv("RAILRUSH_PAYMENT_SIM_SECRET") != null) {
      secrets.put("RAILRUSH_PAYMENT_SIM_SECRET", System.getenv("RAILRUSH_PAYMENT_SIM_SECRET"));
    }
    for (String name : List.of("RAILRUSH_AUTH_SECRET", "RAILRUSH_ADMIN_TOKEN")) {
      if (System.getenv(name) != null) {
        secrets.put(name, System.getenv(name));
      }
      if (secrets.get(name) == null) {
        throw new IllegalStateException(name + " is not set and " + file + " does not give it");
      }
    }
    return secrets;
  }

  /**
   * The accept path: request k is user {@code acc-k} on run {@code k / perRun}, so every request is
   * a first attempt on a run with seats left; then every run's audit once the orders are written.
   */
  private String acceptRow(
      String profile,
      String strategy,
      AppServer server,
      HttpLoad load,
      HttpLoad.Result ping,
      double cpuPerPing,
      boolean separateWriter,
      List<String> writerArgs)
      throws Exception {
    int perRun = seats * 9 / 10;
    List<String> runIds = new ArrayList<>();
    for (int r = 0; r < acceptRuns; r++) {
      runIds.add(createRun(server.base(), 1_000 + r, seats));
    }
    int fresh = perRun * acceptRuns;
    String[] tokens = tokens("acc-", fresh);
    Duration cpuBeforeAccept = server.cpuTime();
    HttpLoad.Result accept =
        load.run(
            clients,
            Duration.ofSeconds(seconds),
            k ->
                grab(
                    runIds.get((int) (k / perRun) % runIds.size()),
                    tokens[(int) (k % tokens.length)]));
    double cpuPer202 = millisEach(server.cpuTime().minus(cpuBeforeAccept), accept.count("202"));
    System.err.printf("%s / %s accept: %s%n", profile, strategy, accept.answers());
    AppServer writer = null;
    try {
      if (separateWriter) {
        writer =
            AppServer.start(
                jar,
                serverJavaOptions,
                writerArgs,
                Files.createTempFile("railrush-bench-writer", ".log"));
      }
      long accepted = accept.count("202");
      long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
      long written;
      List<JsonNode> audits;
      do {
        Thread.sleep(500);
        audits = new ArrayList<>();
        for (String runId : runIds) {
          audits.add(new WriteWatcher(server.base(), runId).audit());
        }
        written = audits.stream().mapToLong(WriteWatcher::written).sum();
      } while (written < accepted && System.nanoTime() < deadline);
      long sold = audits.stream().mapToLong(a -> a.path("sold").asLong()).sum();
      long doubles =
          audits.stream().mapToLong(a -> a.path("usersWithMoreThanOneActiveOrder").asLong()).sum();
      long oversold = audits.stream().filter(a -> !runHolds(a)).count();
      boolean ok = written == accepted && oversold == 0;
      Map<String, String> summary = new LinkedHashMap<>();
      summary.put("202/s", String.format("%,.0f", accepted / accept.seconds()));
      summary.put("ping requests/s (same server)", String.format("%,.0f", ping.perSecond()));
      summary.put(
          "202 / ping", String.format("%.2f", accepted / accept.seconds() / ping.perSecond()));
      summary.put("server CPU ms per 202", String.format("%.3f", cpuPer202));
      summary.put("server CPU ms per ping", String.format("%.3f", cpuPerPing));
      Map<String, String> auditRows = new LinkedHashMap<>();
      auditRows.put("runs", Integer.toString(runIds.size()));
      auditRows.put("202s", Long.toString(accepted));
      auditRows.put("orders written", Long.toString(written));
      auditRows.put("sold", Long.toString(sold));
      auditRows.put("users with 2 active orders", Long.toString(doubles));
      auditRows.put("runs oversold, off the ledger or with a double", Long.toString(oversold));
      addPhase(profile + " / " + strategy + ": accept", accept, summary, auditRows, ok);
      String others =
          accept.answers().entrySet().stream()
              .filter(e -> !e.getKey().equals("202"))
              .map(e -> e.getKey() + " " + String.format("%,d", e.getValue()))
              .reduce((a, b) -> a + ", " + b)
              .orElse("none");
      return String.format(
          "| %s | %s | %,.0f | %,.0f | %.2f | %.3f / %.3f | %s | %s / %s / %s | %s: 202s %,d = orders %,d, sold %,d, users with 2 active %d, runs oversold, off the ledger or with a double %d |",
          profile,
          strategy,
          ping.perSecond(),
          accept.count("202") / accept.seconds(),
          accept.count("202") / accept.seconds() / ping.perSecond(),
          cpuPer202,
          cpuPerPing,
          others,
          LatencyRecorder.millis(accept.latency(), 50),
          LatencyRecorder.millis(accept.latency(), 99),
          LatencyRecorder.millis(accept.latency(), 99.9),
          ok ? "ok" : "VIOLATED",
          accepted,
          written,
          sold,
          doubles,
          oversold);
    } finally {
      if (writer != null) {
        writer.close();
      }
    }
  }

  /** CPU milliseconds per answer; NaN when there was none. */
  private static double millisEach(Duration cpu, long answers) {
    return answers == 0 ? Double.NaN : cpu.toNanos() / 1e6 / answers;
  }

  /**
   * One run's audit holds: never more sold than its seats, the ledger's {@code sold} equal to its
   * active (CREATED, PAID) orders, no user with two active orders.
   */
  private static boolean runHolds(JsonNode audit) {
    JsonNode byStatus = audit.path("ordersByStatus");
    long active = byStatus.path("CREATED").asLong() + byStatus.path("PAID").asLong();
    return active <= audit.path("seats").asLong()
        && audit.path("sold").asLong() == active
        && audit.path("usersWithMoreThanOneActiveOrder").asLong() == 0;
  }

  private String row(
      String profile,
      String strategy,
      HttpLoad.Result ping,
      HttpLoad.Result stockReads,
      HttpLoad.Result grab,
      WriteWatcher writes,
      JsonNode audit) {
    long accepted = grab.count("202");
    JsonNode byStatus = audit.path("ordersByStatus");
    long written = WriteWatcher.written(audit);
    // an answer lost on its way (a node killed mid-request: 502, 504, a dropped connection) may
    // belong to a grab that was queued: such an order exists without a 202; none exists for free
    long inDoubt =
        grab.answers().entrySet().stream()
            .filter(
                a ->
                    a.getKey().equals("transport error")
                        || (a.getKey().startsWith("5") && !a.getKey().startsWith("503")))
            .mapToLong(Map.Entry::getValue)
            .sum();
    boolean ok = runHolds(audit) && written >= accepted && written - accepted <= inDoubt;
    String auditText =
        String.format(
            "%s: sold %d of %d, %d FAILED, 202s %d, orders %d, users with 2 active %d",
            ok ? "ok" : "VIOLATED",
            audit.path("sold").asLong(),
            seats,
            byStatus.path("FAILED").asLong(),
            accepted,
            written,
            audit.path("usersWithMoreThanOneActiveOrder").asLong());
    double after = grab.perSecondAfterSoldOut();
    Map<String, String> summary = new LinkedHashMap<>();
    summary.put("grab requests/s", String.format("%,.0f", grab.perSecond()));
    summary.put("ping requests/s (same server)", String.format("%,.0f", ping.perSecond()));
    summary.put("grab / ping", String.format("%.2f", grab.perSecond() / ping.perSecond()));
    summary.put(
        "cached stock reads/s (same server)", String.format("%,.0f", stockReads.perSecond()));
    summary.put(
        "grab / stock read", String.format("%.2f", grab.perSecond() / stockReads.perSecond()));
    summary.put("202", String.format("%,d", accepted));
    summary.put("409 SOLD_OUT", String.format("%,d", grab.count("409 SOLD_OUT")));
    summary.put("429 RATE_LIMITED", String.format("%,d", grab.count("429 RATE_LIMITED")));
    summary.put("503 BUSY", String.format("%,d", grab.count("503 BUSY")));
    summary.put("orders written/s", writes.ordersPerSecond());
    Map<String, String> auditRows = new LinkedHashMap<>();
    auditRows.put("seats", Long.toString(audit.path("seats").asLong()));
    auditRows.put("sold", Long.toString(audit.path("sold").asLong()));
    byStatus
        .properties()
        .forEach(e -> auditRows.put("orders " + e.getKey(), e.getValue().asString()));
    auditRows.put("202s", Long.toString(accepted));
    auditRows.put("orders written", Long.toString(written));
    auditRows.put("answers in doubt (lost on the way)", Long.toString(inDoubt));
    auditRows.put(
        "users with 2 active orders",
        Long.toString(audit.path("usersWithMoreThanOneActiveOrder").asLong()));
    addPhase(profile + " / " + strategy + ": grab", grab, summary, auditRows, ok);
    return String.format(
        "| %s | %s | %,.0f | %,.0f | %,.0f | %.2f | %.2f | %s | %,d | %,d | %,d | %,d | %s / %s / %s | %s | %s | %s |",
        profile,
        strategy,
        ping.perSecond(),
        stockReads.perSecond(),
        grab.perSecond(),
        grab.perSecond() / stockReads.perSecond(),
        grab.perSecond() / ping.perSecond(),
        Double.isNaN(after) ? "–" : String.format("%,.0f (%.2f)", after, after / ping.perSecond()),
        accepted,
        grab.count("409 SOLD_OUT"),
        grab.count("429 RATE_LIMITED"),
        grab.count("503 BUSY"),
        LatencyRecorder.millis(grab.latency(), 50),
        LatencyRecorder.millis(grab.latency(), 99),
        LatencyRecorder.millis(grab.latency(), 99.9),
        grab.firstSoldOutMillis() < 0
            ? "not in " + seconds + " s"
            : String.format("%.2f s", grab.firstSoldOutMillis() / 1000.0),
        writes.ordersPerSecond(),
        auditText);
  }

  private static HttpLoad.Call ping() {
    return new HttpLoad.Call("GET", "/api/v1/ping", null);
  }

  /** {@code GET /api/v1/runs/{id}}: the run and its remaining seats, from the guarded cache. */
  private static LongFunction<HttpLoad.Call> stockRead(String runId) {
    HttpLoad.Call read = new HttpLoad.Call("GET", "/api/v1/runs/" + runId, null);
    return k -> read;
  }

  private static HttpLoad.Call grab(String runId, String token) {
    return new HttpLoad.Call("POST", "/api/v1/runs/" + runId + "/grabs", token);
  }

  private static final AtomicInteger trains = new AtomicInteger(8000);

  private String createRun(String base, int offsetDays, int seats)
      throws IOException, InterruptedException {
    String date =
        LocalDate.now(ZoneId.of("Asia/Shanghai")).plusDays(offsetDays % 300 + 1).toString();
    String body =
        """
        {"trainNo":"G%d","departureDate":"%s","origin":"北京南","destination":"上海虹桥","departureTime":"08:00","seats":%d,"priceCents":55300}
        """
            .formatted(trains.incrementAndGet(), date, seats);
    HttpResponse<String> created =
        control.send(
            HttpRequest.newBuilder(URI.create(base + "/api/v1/admin/runs"))
                .header("Authorization", "Bearer " + adminToken)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (created.statusCode() != 201) {
      throw new IllegalStateException("cannot create a run: " + created.body());
    }
    return JSON.readTree(created.body()).path("runId").asString();
  }

  /** Samples the audit while the orders are written: when writing started, when it ended. */
  private final class WriteWatcher extends Thread {
    private final String base;
    private final String runId;
    private volatile long firstWrittenNanos = -1;
    private volatile long lastChangeNanos = -1;
    private volatile long lastWritten;
    private volatile JsonNode lastAudit;
    private volatile boolean stop;

    WriteWatcher(String base, String runId) {
      this.base = base;
      this.runId = runId;
      setDaemon(true);
    }

    JsonNode audit() throws IOException, InterruptedException {
      HttpResponse<String> reply =
          control.send(
              HttpRequest.newBuilder(URI.create(base + "/api/v1/admin/runs/" + runId + "/audit"))
                  .header("Authorization", "Bearer " + adminToken)
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      return JSON.readTree(reply.body());
    }

    static long written(JsonNode audit) {
      JsonNode s = audit.path("ordersByStatus");
      return s.path("CREATED").asLong()
          + s.path("PAID").asLong()
          + s.path("CANCELLED").asLong()
          + s.path("FAILED").asLong();
    }

    @Override
    public void run() {
      while (!stop) {
        try {
          JsonNode audit = audit();
          long written = written(audit);
          long now = System.nanoTime();
          if (written > 0 && firstWrittenNanos < 0) {
            firstWrittenNanos = now;
          }
          if (written != lastWritten) {
            lastChangeNanos = now;
            lastWritten = written;
          }
          lastAudit = audit;
          Thread.sleep(50);
        } catch (InterruptedException e) {
          return;
        } catch (Exception e) {
          // the server is busy; sample again
        }
      }
    }

    JsonNode awaitSettled(long accepted, Duration atMost) throws IOException, InterruptedException {
      long deadline = System.nanoTime() + atMost.toNanos();
      while (lastWritten < accepted && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      stop = true;
      join();
      return audit();
    }

    String ordersPerSecond() {
      if (firstWrittenNanos < 0 || lastChangeNanos <= firstWrittenNanos) {
        return "–";
      }
      return String.format("%,.0f", lastWritten / ((lastChangeNanos - firstWrittenNanos) / 1e9));
    }
  }
}
