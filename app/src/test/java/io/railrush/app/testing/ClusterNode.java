package io.railrush.app.testing;

import io.micrometer.core.instrument.MeterRegistry;
import io.railrush.app.RailrushApplication;
import io.railrush.kit.testing.ChildJvm;
import io.railrush.kit.testing.RedisServerProcess;
import io.railrush.kit.testing.TestRedis;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * One node of a cluster: the real service in the cluster profile, on a random port, in this JVM.
 */
public final class ClusterNode implements AutoCloseable {

  /** The simulator's secret on every test node. */
  public static final String SIM_SECRET = "cluster-test-sim-secret";

  private final ConfigurableApplicationContext context;
  private final Api api;
  private final String busName;

  private ClusterNode(ConfigurableApplicationContext context, String busName) {
    this.context = context;
    this.busName = busName;
    this.api = new Api(((WebServerApplicationContext) context).getWebServer().getPort());
  }

  /** Settings every test node shares; {@code overrides} win. */
  public static ClusterNode start(
      TestDatabases.Database db, String redisUrl, String keyPrefix, Map<String, String> overrides) {
    ConfigurableApplicationContext context =
        new SpringApplicationBuilder(RailrushApplication.class)
            .profiles("cluster")
            .run(arguments(db, redisUrl, keyPrefix, overrides));
    return new ClusterNode(context, context.getEnvironment().getProperty("railrush.grab.bus.name"));
  }

  /**
   * The command line of a test node: its own Redis key prefix, lock names and RabbitMQ exchange and
   * queues (derived from {@code keyPrefix}), so test classes never see each other's state.
   */
  public static String[] arguments(
      TestDatabases.Database db, String redisUrl, String keyPrefix, Map<String, String> overrides) {
    Map<String, String> properties = new LinkedHashMap<>();
    properties.put("server.port", "0");
    properties.put("spring.datasource.url", db.url());
    properties.put("spring.datasource.username", db.username());
    properties.put("spring.datasource.password", "");
    properties.put("spring.data.redis.url", redisUrl);
    properties.put("railrush.auth.secret", "cluster-test-secret-of-at-least-32-bytes");
    properties.put("railrush.auth.demo-login", "true");
    properties.put("railrush.admin.token", Api.ADMIN_TOKEN);
    properties.put("railrush.cache.key-prefix", keyPrefix);
    properties.put("railrush.catalog.known-ids-refresh", "300ms");
    properties.put("spring.datasource.hikari.maximum-pool-size", "8");
    properties.put("railrush.grab.key-prefix", keyPrefix + "grab:");
    properties.put("railrush.order.key-prefix", keyPrefix + "order:");
    properties.put("railrush.grab.bus.name", busName(keyPrefix));
    properties.put("railrush.coordination.key-prefix", keyPrefix + "coordination");
    properties.put("railrush.payment.bus-name", busName(keyPrefix) + ".payment");
    properties.put("railrush.messaging.exchange", busName(keyPrefix) + ".events");
    properties.put("railrush.payment.sim.secret", SIM_SECRET);
    properties.putAll(overrides);
    List<String> args = new ArrayList<>();
    args.add("--spring.profiles.active=cluster");
    properties.forEach((k, v) -> args.add("--" + k + "=" + v));
    return args.toArray(String[]::new);
  }

  /**
   * A node in its own JVM (so a test can SIGKILL it), with {@code roles} only, as a consumer node
   * runs in production; returned once its health answers.
   */
  public static ChildJvm startJvm(
      TestDatabases.Database db,
      String keyPrefix,
      String roles,
      Map<String, String> overrides,
      Path log)
      throws Exception {
    return startJvm(db, keyPrefix, roles, overrides, log, true);
  }

  /**
   * {@link #startJvm}, returned at once when {@code awaitHealth} is false: its consumers may start
   * working seconds before its health answers, and a test that kills it mid-run must watch from the
   * start.
   */
  public static ChildJvm startJvm(
      TestDatabases.Database db,
      String keyPrefix,
      String roles,
      Map<String, String> overrides,
      Path log,
      boolean awaitHealth)
      throws Exception {
    int port = RedisServerProcess.freePort();
    Map<String, String> settings = new LinkedHashMap<>(overrides);
    settings.put("railrush.roles", roles);
    settings.put("server.port", Integer.toString(port));
    settings.put("logging.level.root", "WARN");
    return startApp(port, log, awaitHealth, arguments(db, TestRedis.URL, keyPrefix, settings));
  }

  /**
   * The service in a JVM of its own with {@code args} (which must set {@code server.port} to {@code
   * port}), its stdout drained; returned once its health answers when {@code awaitHealth}.
   */
  public static ChildJvm startApp(int port, Path log, boolean awaitHealth, String... args)
      throws Exception {
    ChildJvm jvm = ChildJvm.start(RailrushApplication.class, log, args);
    Thread.ofPlatform()
        .daemon()
        .start(
            () -> {
              try {
                while (true) {
                  jvm.readLine(); // keep its stdout drained
                }
              } catch (java.io.IOException exited) {
                // the child is gone
              }
            });
    if (awaitHealth) {
      Api api = new Api(port);
      Awaitility.await()
          .atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofMillis(250))
          .ignoreExceptions()
          .until(() -> api.get("/actuator/health").status() == 200);
    }
    return jvm;
  }

  /** The RabbitMQ exchange of the nodes started with {@code keyPrefix}. */
  public static String busName(String keyPrefix) {
    return "railrush." + keyPrefix.replaceAll("[^A-Za-z0-9]+", ".").replaceAll("^\\.|\\.$", "");
  }

  public Api api() {
    return api;
  }

  public <T> T bean(Class<T> type) {
    return context.getBean(type);
  }

  public <T> T bean(String name, Class<T> type) {
    return context.getBean(name, type);
  }

  /** Database loads this node's guarded cache {@code cache} made so far. */
  public double cacheLoads(String cache) {
    return bean(MeterRegistry.class)
        .get("railrush.cache.loads")
        .tag("cache", cache)
        .counter()
        .count();
  }

  /** Every cache counter of this node, for failure messages. */
  public String cacheCounters(String cache) {
    StringBuilder out = new StringBuilder();
    bean(MeterRegistry.class).getMeters().stream()
        .filter(
            m ->
                m.getId().getName().startsWith("railrush.cache")
                    && cache.equals(m.getId().getTag("cache")))
        .forEach(
            m ->
                out.append(m.getId().getName())
                    .append(m.getId().getTag("tier") == null ? "" : "." + m.getId().getTag("tier"))
                    .append('=')
                    .append(m.measure().iterator().next().getValue())
                    .append(' '));
    return out.toString();
  }

  /** Stops the node and deletes its RabbitMQ queues and exchanges (durable: they outlive it). */
  @Override
  public void close() {
    context.close();
    try {
      TestRabbit.deleteBus(busName);
    } catch (RuntimeException brokerGone) {
      // nothing left to clean
    }
  }
}
