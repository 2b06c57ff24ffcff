package io.railrush.bench.messaging;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConnectionFactory;
import io.railrush.bench.ScratchServers;
import io.railrush.bench.grab.AppServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The outbox relay alone: a backlog of outbox rows appears at once (as after a burst of paid
 * orders), and one relay node — the server jar in cluster mode with only the sweeper role —
 * publishes them to RabbitMQ with publisher confirms into a quorum queue bound to every event type.
 * Measured: from the backlog's commit to its last row marked published.
 */
@Command(
    name = "relay",
    mixinStandardHelpOptions = true,
    description = "Outbox relay: rows published per second to RabbitMQ, per claim batch size")
public final class RelayScenario implements Runnable {

  @Option(
      names = "--batches",
      split = ",",
      defaultValue = "200,1000",
      description = "claim batch sizes (railrush.messaging.batch) to compare, one server each")
  List<Integer> batches;

  @Option(names = "--rows", defaultValue = "50000", description = "outbox rows per measurement")
  int rows;

  @Option(names = "--jar", defaultValue = "app/target/railrush-app.jar")
  Path jar;

  @Option(names = "--postgres", defaultValue = "jdbc:postgresql://127.0.0.1:5432/")
  String postgres;

  @Option(names = "--redis", defaultValue = "redis://127.0.0.1:6379")
  String redis;

  @Override
  public void run() {
    List<String> table = new ArrayList<>();
    try {
      for (int batch : batches) {
        table.add(measure(batch));
      }
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    System.out.printf(
        "%n%,d rows per measurement, %d cores, Java %s%n%n",
        rows, Runtime.getRuntime().availableProcessors(), Runtime.version());
    System.out.println("| claim batch | rows | all published after | rows/s | in the queue |");
    System.out.println("|---:|---:|---:|---:|---:|");
    table.forEach(System.out::println);
  }

  private String measure(int batch) throws Exception {
    String id = UUID.randomUUID().toString().substring(0, 8);
    String database = "railrush_relay_" + id;
    String exchange = "railrush.bench." + id + ".events";
    String queue = exchange + ".everything";
    ScratchServers.sql(postgres + "test", "create database " + database);
    ConnectionFactory broker = new ConnectionFactory();
    broker.setHost("127.0.0.1");
    try (com.rabbitmq.client.Connection amqp = broker.newConnection();
        Channel channel = amqp.createChannel()) {
      channel.exchangeDeclare(exchange, "topic", true);
      channel.queueDeclare(queue, true, false, false, Map.of("x-queue-type", "quorum"));
      channel.queueBind(queue, exchange, "#");
      List<String> args =
          List.of(
              "--spring.profiles.active=cluster",
              "--spring.datasource.url=" + postgres + database,
              "--spring.data.redis.url=" + redis,
              "--railrush.auth.secret=bench-secret-of-at-least-thirty-two-bytes",
              "--railrush.admin.token=bench-admin-token",
              "--railrush.roles=sweeper",
              "--railrush.coordination.key-prefix=bench:" + id,
              "--railrush.grab.bus.name=railrush.bench." + id,
              "--railrush.payment.bus-name=railrush.bench." + id + ".payment",
              "--railrush.messaging.exchange=" + exchange,
              "--railrush.messaging.batch=" + batch,
              "--logging.level.root=WARN");
      Path log = Files.createTempFile("railrush-bench-relay-" + batch, ".log");
      System.err.printf("relay batch %d: starting the server (log %s)%n", batch, log);
      try (AppServer server = AppServer.start(jar, List.of("-Xmx1g"), args, log);
          Connection db = DriverManager.getConnection(postgres + database, "postgres", "")) {
        long committed = appendBacklog(db, id);
        long done;
        while (true) {
          if (unpublished(db) == 0) {
            done = System.nanoTime();
            break;
          }
          Thread.sleep(20);
        }
        double seconds = (done - committed) / 1e9;
        long queued = channel.messageCount(queue);
        System.err.printf("relay batch %d: %,d rows in %.2f s%n", batch, rows, seconds);
        return "| %d | %,d | %.2f s | %,.0f | %,d |"
            .formatted(batch, rows, seconds, rows / seconds, queued);
      } finally {
        for (String declared : List.of(queue, exchange + ".promo", exchange + ".promo.retry")) {
          channel.queueDelete(declared);
        }
        channel.exchangeDelete(exchange);
      }
    } finally {
      ScratchServers.deleteBus("railrush.bench." + id);
      ScratchServers.deleteBus("railrush.bench." + id + ".payment");
      ScratchServers.sql(
          postgres + "test", "drop database if exists " + database + " with (force)");
    }
  }

  /** The backlog, in one transaction; returns the instant it committed. */
  private long appendBacklog(Connection db, String id) throws Exception {
    db.setAutoCommit(false);
    try (PreparedStatement insert =
        db.prepareStatement(
            "insert into message_outbox (message_id, message_type, payload, created_at_ms)"
                + " values (?, 'OrderCreated', ?, ?)")) {
      for (int i = 0; i < rows; i++) {
        String orderNo = "B" + id + i;
        insert.setString(1, "OrderCreated:" + orderNo);
        insert.setString(
            2,
            "{\"orderNo\":\"%s\",\"runId\":\"R1\",\"userId\":\"u%d\",\"amountCents\":55300,\"couponId\":null}"
                .formatted(orderNo, i));
        insert.setLong(3, System.currentTimeMillis());
        insert.addBatch();
        if (i % 1_000 == 999) {
          insert.executeBatch();
        }
      }
      insert.executeBatch();
    }
    db.commit();
    long committed = System.nanoTime();
    db.setAutoCommit(true);
    return committed;
  }

  private static long unpublished(Connection db) throws Exception {
    try (PreparedStatement count =
            db.prepareStatement(
                "select count(*) from message_outbox where published_at_ms is null");
        ResultSet rs = count.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
