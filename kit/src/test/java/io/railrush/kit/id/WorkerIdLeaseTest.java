package io.railrush.kit.id;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.railrush.kit.redis.RedisConnector;
import io.railrush.kit.testing.TestRedis;
import io.railrush.kit.testing.TestZooKeeper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("redis")
class WorkerIdLeaseTest {

  @Test
  void redisLeasesAreDistinctAndALostLeaseStopsTheGenerator() {
    String prefix = TestRedis.uniquePrefix("workers");
    try (RedisConnector redis = TestRedis.connect()) {
      List<WorkerIdLease> leases = new ArrayList<>();
      Set<Integer> ids = new HashSet<>();
      for (int i = 0; i < 20; i++) {
        WorkerIdLease lease = WorkerIds.fromRedis(redis, prefix, Duration.ofMillis(900));
        leases.add(lease);
        assertThat(ids.add(lease.workerId())).isTrue();
      }
      WorkerIdLease victim = leases.get(0);
      int stolenId = victim.workerId();
      OrderNumberGenerator generator = new OrderNumberGenerator(victim);
      generator.nextId();
      redis
          .sync()
          .set(prefix + "worker:{" + stolenId + "}", "someone-else"); // its id is taken over
      await()
          .atMost(Duration.ofSeconds(3))
          .until(() -> !victim.isValid() || victim.workerId() != stolenId);
      // it either stopped or already moved to a fresh id: never keeps issuing under the stolen one
      await().atMost(Duration.ofSeconds(3)).until(victim::isValid);
      assertThat(victim.workerId()).isNotEqualTo(stolenId).isNotIn(ids);
      assertThat(OrderNumberGenerator.workerOf(generator.nextId())).isEqualTo(victim.workerId());
      leases.forEach(WorkerIdLease::close);
    }
  }

  /**
   * A Redis flush loses both the lease and the issued-before record of a worker id while its holder
   * still issues (it learns of the loss at its next renewal, up to lease/3 later). A second node
   * leasing that id then must not start from "now": it starts after anything the unaware holder may
   * still issue.
   */
  @Test
  void afterARedisFlushTwoHoldersOfOneWorkerIdNeverIssueTheSameNumber() throws Exception {
    String prefix = TestRedis.uniquePrefix("workers-flush");
    Duration leaseTime = Duration.ofSeconds(3);
    try (RedisConnector redis = TestRedis.connect()) {
      WorkerIdLease unaware = WorkerIds.fromRedis(redis, prefix, leaseTime);
      int id = unaware.workerId();
      redis.sync().del(redis.sync().keys(prefix + "*").toArray(String[]::new)); // the flush
      for (int other = 0; other <= OrderNumberGenerator.MAX_WORKER_ID; other++) {
        if (other != id) { // every other id busy, so the newcomer gets the same one
          redis
              .sync()
              .set(
                  prefix + "worker:{" + other + "}",
                  "busy",
                  io.lettuce.core.SetArgs.Builder.px(60_000));
        }
      }
      WorkerIdLease newcomer = WorkerIds.fromRedis(redis, prefix, leaseTime);
      assertThat(newcomer.workerId()).isEqualTo(id);
      assertThat(unaware.isValid()).as("the first holder has not noticed yet").isTrue();
      assertThat(newcomer.issuedBeforeMillis())
          .isGreaterThanOrEqualTo(System.currentTimeMillis() + leaseTime.toMillis() - 1_000);

      OrderNumberGenerator first = new OrderNumberGenerator(unaware);
      OrderNumberGenerator second = new OrderNumberGenerator(newcomer);
      Set<Long> issued = java.util.concurrent.ConcurrentHashMap.newKeySet();
      java.util.concurrent.atomic.AtomicInteger duplicates =
          new java.util.concurrent.atomic.AtomicInteger();
      try (var pool = java.util.concurrent.Executors.newFixedThreadPool(2)) {
        for (OrderNumberGenerator generator : List.of(first, second)) {
          pool.submit(
              () -> {
                for (int i = 0; i < 200_000; i++) {
                  try {
                    if (!issued.add(generator.nextId())) {
                      duplicates.incrementAndGet();
                    }
                  } catch (WorkerIdLostException stopped) {
                    return; // the unaware holder learned of the loss: it issues nothing more
                  }
                }
              });
        }
      }
      assertThat(duplicates).hasValue(0);
      assertThat(issued).hasSizeGreaterThan(200_000);
      unaware.close();
      newcomer.close();
      redis.sync().del(redis.sync().keys(prefix + "*").toArray(String[]::new));
    }
  }

  @Test
  void zooKeeperLeasesAreDistinctAndAnExpiredSessionStopsTheGenerator() throws Exception {
    try (TestingServer zk = TestZooKeeper.server()) {
      List<CuratorFramework> clients = new ArrayList<>();
      Set<Integer> ids = new HashSet<>();
      List<WorkerIdLease> leases = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        CuratorFramework client =
            CuratorFrameworkFactory.newClient(
                zk.getConnectString(), 4_000, 5_000, new ExponentialBackoffRetry(50, 10));
        client.start();
        client.blockUntilConnected(10, TimeUnit.SECONDS);
        clients.add(client);
        WorkerIdLease lease = WorkerIds.fromZooKeeper(client, "/railrush/workers");
        leases.add(lease);
        assertThat(ids.add(lease.workerId())).isTrue();
      }
      WorkerIdLease victim = leases.get(0);
      OrderNumberGenerator generator = new OrderNumberGenerator(victim);
      generator.nextId();
      // connection lost (SUSPENDED): stop issuing at once, before the session could expire
      zk.stop();
      await().atMost(Duration.ofSeconds(10)).until(() -> !victim.isValid());
      assertThatThrownBy(generator::nextId).isInstanceOf(WorkerIdLostException.class);
      zk.restart();
      await().atMost(Duration.ofSeconds(20)).until(victim::isValid);
      generator.nextId();
      // session expired: the ephemeral id is gone; the node leases an id again (maybe the same,
      // now free) and never one a live node holds
      Set<Integer> others = new HashSet<>();
      leases.stream()
          .skip(1)
          .forEach(l -> await().atMost(Duration.ofSeconds(20)).until(l::isValid));
      leases.stream().skip(1).forEach(l -> others.add(l.workerId()));
      clients.get(0).getZookeeperClient().getZooKeeper().getTestable().injectSessionExpiration();
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> victim.isValid() && clients.get(0).getZookeeperClient().isConnected());
      assertThat(victim.workerId()).isNotIn(others);
      generator.nextId();
      leases.forEach(WorkerIdLease::close);
      clients.forEach(CuratorFramework::close);
    }
  }
}
