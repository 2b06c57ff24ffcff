package io.railrush.kit.lock;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.railrush.kit.redis.RedisConnector;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;

/**
 * Builds a lock service from a one-line spec, so a child JVM can build the same backend as the
 * test: {@code inprocess}, {@code redis|url|prefix}, {@code zk|connect|sessionMs}, {@code
 * jdbc|url|user}.
 */
final class LockBackends {

  private LockBackends() {}

  /** A service and what it runs on; closing closes both. */
  record Backend(LockService service, AutoCloseable resources) implements AutoCloseable {
    @Override
    public void close() throws Exception {
      service.close();
      if (resources != null) {
        resources.close();
      }
    }
  }

  static Backend open(String spec) {
    String[] part = spec.split("\\|");
    return switch (part[0]) {
      case "inprocess" -> new Backend(Locks.inProcess(), null);
      case "redis" -> {
        RedisConnector redis = RedisConnector.of(part[1]);
        yield new Backend(Locks.redis(redis, part[2]), redis);
      }
      case "zk" -> {
        CuratorFramework client = zooKeeperClient(part[1], Integer.parseInt(part[2]));
        yield new Backend(Locks.zooKeeper(client, "/railrush/locks"), client);
      }
      case "jdbc" -> {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(part[1]);
        config.setUsername(part[2]);
        config.setMaximumPoolSize(40);
        config.setMinimumIdle(2); // grow on demand: tests open several instances at once
        HikariDataSource pool = new HikariDataSource(config);
        yield new Backend(Locks.database(pool), pool);
      }
      default -> throw new IllegalArgumentException(spec);
    };
  }

  static CuratorFramework zooKeeperClient(String connect, int sessionMillis) {
    CuratorFramework client =
        CuratorFrameworkFactory.builder()
            .connectString(connect)
            .sessionTimeoutMs(sessionMillis)
            .connectionTimeoutMs(5_000)
            .retryPolicy(new ExponentialBackoffRetry(50, 10))
            .build();
    client.start();
    try {
      if (!client.blockUntilConnected(10, java.util.concurrent.TimeUnit.SECONDS)) {
        throw new IllegalStateException("no ZooKeeper at " + connect);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    return client;
  }

  /** Creates the lock table in a fresh schema/database, from the kit's own DDL. */
  static void createLockTable(String url, String user) throws Exception {
    String ddl;
    try (InputStream in = Locks.class.getResourceAsStream("distributed_lock.sql")) {
      ddl = new String(in.readAllBytes(), StandardCharsets.UTF_8).replaceAll("(?m)^--.*$", "");
    }
    try (Connection c = DriverManager.getConnection(url, user, "");
        Statement s = c.createStatement()) {
      s.execute(ddl);
    }
  }
}
