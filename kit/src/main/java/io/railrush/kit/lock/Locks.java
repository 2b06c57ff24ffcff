package io.railrush.kit.lock;

import io.railrush.kit.lock.internal.InProcessLeaseDriver;
import io.railrush.kit.lock.internal.JdbcLeaseDriver;
import io.railrush.kit.lock.internal.LeasedLockService;
import io.railrush.kit.lock.internal.RedisLeaseDriver;
import io.railrush.kit.lock.internal.ZooKeeperLockService;
import io.railrush.kit.redis.RedisConnector;
import javax.sql.DataSource;
import org.apache.curator.framework.CuratorFramework;

/** The lock backends. Every one passes the same contract test suite. */
public final class Locks {

  private Locks() {}

  /** For one JVM (embedded mode). */
  public static LockService inProcess() {
    return new LeasedLockService("in-process", new InProcessLeaseDriver());
  }

  /** Redis: {@code SET NX PX} with a unique owner, Lua compare-and-act, watchdog renewal. */
  public static LockService redis(RedisConnector redis, String keyPrefix) {
    return new LeasedLockService("redis", new RedisLeaseDriver(redis, keyPrefix));
  }

  /** ZooKeeper through Curator: ephemeral sequential nodes, the session is the lease. */
  public static LockService zooKeeper(CuratorFramework client, String basePath) {
    return new ZooKeeperLockService(client, basePath);
  }

  /** A database table ({@code distributed_lock}, see {@code distributed_lock.sql}). */
  public static LockService database(DataSource dataSource) {
    return new LeasedLockService("database", new JdbcLeaseDriver(dataSource));
  }
}
