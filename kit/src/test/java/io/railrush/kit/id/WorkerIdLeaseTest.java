package io.railrush.kit.id;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.railrush.kit.redis.RedisConnector;
import io.railrush.kit.testing.TestRedis;
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

  @Test
  void zooKeeperLeasesAreDistinctAndAnExpiredSessionStopsTheGenerator() throws Exception {
    try (TestingServer zk = new TestingServer(true)) {
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
