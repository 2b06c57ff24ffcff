package io.railrush.app.infra;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Locks and worker ids ({@code railrush.coordination.*}).
 *
 * @param locks where distributed locks live: {@code in-process}, {@code redis}, {@code zookeeper}
 *     or {@code database}
 * @param workerIds where the order-number worker id comes from: {@code fixed}, {@code redis} or
 *     {@code zookeeper}
 * @param workerId the id when {@code fixed} (one JVM only)
 * @param workerIdLease the Redis lease of a worker id
 * @param zookeeper ZooKeeper connection, when a ZooKeeper backend is chosen
 * @param keyPrefix prefix of Redis keys and ZooKeeper paths
 */
@ConfigurationProperties("railrush.coordination")
public record CoordinationProperties(
    @DefaultValue("in-process") LockBackend locks,
    @DefaultValue("fixed") WorkerIdSource workerIds,
    @DefaultValue("0") int workerId,
    @DefaultValue("10s") Duration workerIdLease,
    @DefaultValue ZooKeeper zookeeper,
    @DefaultValue("railrush") String keyPrefix) {

  /**
   * @param connect the connect string, e.g. {@code 127.0.0.1:2181}
   * @param sessionTimeout the session: a dead node's locks and worker id are freed after it
   */
  public record ZooKeeper(
      @DefaultValue("127.0.0.1:2181") String connect,
      @DefaultValue("10s") Duration sessionTimeout) {}

  /** Where distributed locks live. */
  public enum LockBackend {
    /** in this JVM: one node only */
    IN_PROCESS,
    /** Redis: a lease with a watchdog, fencing tokens from a counter */
    REDIS,
    /** ZooKeeper: ephemeral sequential nodes, one watch per waiter */
    ZOOKEEPER,
    /** the application's database: a lock row with a lease on the database's clock */
    DATABASE
  }

  /** Where this node's order-number worker id comes from. */
  public enum WorkerIdSource {
    /** {@code worker-id}, as configured: one JVM only */
    FIXED,
    /** a Redis lease, renewed */
    REDIS,
    /** an ephemeral ZooKeeper node, held for the session */
    ZOOKEEPER
  }

  boolean uses(LockBackend lockBackend, WorkerIdSource workerIdSource) {
    return locks == lockBackend || workerIds == workerIdSource;
  }
}
