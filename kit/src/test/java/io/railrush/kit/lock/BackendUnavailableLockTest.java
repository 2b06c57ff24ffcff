package io.railrush.kit.lock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.railrush.kit.BackendUnavailableException;
import io.railrush.kit.id.OrderNumberGenerator;
import io.railrush.kit.id.WorkerIdLease;
import io.railrush.kit.id.WorkerIdLostException;
import io.railrush.kit.id.WorkerIds;
import io.railrush.kit.testing.TestZooKeeper;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryNTimes;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The database and ZooKeeper failing reach callers as the {@link BackendUnavailableException}
 * family (Redis: {@code RedisUnavailableTest}); a misconfiguration does not.
 */
class BackendUnavailableLockTest {

  private final String name = "run-" + UUID.randomUUID().toString().substring(0, 8);

  private static void assertBackend(Throwable e, String backend) {
    assertThat(e).isInstanceOf(BackendUnavailableException.class);
    assertThat(((BackendUnavailableException) e).backend()).isEqualTo(backend);
  }

  @Test
  @Tag("postgres")
  void aDatabaseLockWhosePoolIsGoneIsTheFamily() throws Exception {
    try (LockBackends.Backend backend = LockBackends.open(TestLockDatabases.freshPostgres())) {
      LockService locks = backend.service();
      locks.tryAcquire(name, Duration.ZERO, Duration.ofSeconds(5)).orElseThrow().release();
      ((HikariDataSource) backend.resources()).close(); // no connection can be had any more
      long started = System.nanoTime();
      assertThatThrownBy(
              () -> locks.tryAcquire(name, Duration.ofMillis(200), Duration.ofSeconds(5)))
          .isInstanceOf(LockUnavailableException.class)
          .satisfies(e -> assertBackend(e, "database"));
      assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isLessThan(5_000);
    }
  }

  @Test
  void aDatabaseThatCannotBeReachedAtAllIsTheFamily() throws Exception {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(
        "jdbc:postgresql://127.0.0.1:"
            + io.railrush.kit.testing.RedisServerProcess.freePort()
            + "/x");
    config.setUsername("postgres");
    config.setConnectionTimeout(250);
    config.setInitializationFailTimeout(-1);
    try (HikariDataSource nowhere = new HikariDataSource(config)) {
      assertThatThrownBy(() -> Locks.database(nowhere))
          .satisfies(e -> assertBackend(e, "database"));
    }
  }

  /** A missing lock table is a deployment mistake: it is not retried nor reported as "busy". */
  @Test
  @Tag("postgres")
  void aMissingLockTableIsNotTheFamily() throws Exception {
    String schema = "nolock_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    try (Connection c = DriverManager.getConnection(TestLockDatabases.POSTGRES, "postgres", "");
        Statement s = c.createStatement()) {
      s.execute("create schema " + schema);
    }
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(TestLockDatabases.POSTGRES + "?currentSchema=" + schema);
    config.setUsername("postgres");
    try (HikariDataSource pool = new HikariDataSource(config)) {
      LockService locks = Locks.database(pool);
      long started = System.nanoTime();
      assertThatThrownBy(() -> locks.tryAcquire(name, Duration.ofSeconds(5), Duration.ofSeconds(5)))
          .isInstanceOf(IllegalStateException.class)
          .isNotInstanceOf(BackendUnavailableException.class);
      assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isLessThan(2_000);
    }
  }

  @Test
  void zooKeeperStoppedIsTheFamilyForLocksAndWorkerIds() throws Exception {
    try (TestingServer server = TestZooKeeper.server()) {
      CuratorFramework client =
          CuratorFrameworkFactory.builder()
              .connectString(server.getConnectString())
              .sessionTimeoutMs(10_000)
              .connectionTimeoutMs(300)
              .retryPolicy(new RetryNTimes(1, 50))
              .build();
      client.start();
      try {
        assertThat(client.blockUntilConnected(10, TimeUnit.SECONDS)).isTrue();
        LockService locks = Locks.zooKeeper(client, "/railrush/locks");
        locks.tryAcquire(name, Duration.ZERO, Duration.ofSeconds(5)).orElseThrow().release();
        WorkerIdLease lease = WorkerIds.fromZooKeeper(client, "/railrush/workers");
        OrderNumberGenerator generator = new OrderNumberGenerator(lease);
        generator.nextId();

        server.stop();
        assertThatThrownBy(
                () -> locks.tryAcquire(name + "-2", Duration.ofSeconds(1), Duration.ofSeconds(5)))
            .isInstanceOf(LockUnavailableException.class)
            .satisfies(e -> assertBackend(e, "zookeeper"));
        await().atMost(Duration.ofSeconds(10)).until(() -> !lease.isValid());
        assertThatThrownBy(generator::nextId)
            .isInstanceOf(WorkerIdLostException.class)
            .satisfies(e -> assertBackend(e, "zookeeper"));
        assertThatThrownBy(() -> WorkerIds.fromZooKeeper(client, "/railrush/workers"))
            .isInstanceOf(WorkerIdLostException.class)
            .satisfies(e -> assertBackend(e, "zookeeper"));
        lease.close();
      } finally {
        client.close();
      }
    }
  }
}
