package io.railrush.kit.id.internal;

import io.railrush.kit.BackendUnavailableException;
import io.railrush.kit.id.OrderNumberGenerator;
import io.railrush.kit.id.WorkerIdLease;
import io.railrush.kit.id.WorkerIdLostException;
import io.railrush.kit.internal.ZooKeeperFailures;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;

/**
 * A worker id leased from ZooKeeper as an ephemeral node {@code live/<id>}: it exists exactly as
 * long as this node's session, so two live sessions never hold the same id. (A sequential node's
 * number modulo 1024 could collide after wrap-around; claiming the id itself cannot.) SUSPENDED
 * stops issuing at once; on RECONNECTED the id is trusted again only if the node is still ours,
 * otherwise a new id is leased. A persistent {@code issued-before/<id>} is raised every second past
 * anything this node may issue before its session could expire.
 */
public final class ZooKeeperWorkerIdLease implements WorkerIdLease {

  private final CuratorFramework client;
  private final String basePath;
  private final ScheduledExecutorService keeper =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().daemon().name("worker-id-zk").factory());
  private volatile int workerId = -1;
  private volatile boolean connected = true;
  private volatile long issuedBeforeMillis;
  // refreshed by every successful write to ZooKeeper; bounds validity by the session timeout so
  // a paused JVM that has not yet heard SUSPENDED stops by itself
  private volatile long validUntilNanos;

  private ZooKeeperWorkerIdLease(CuratorFramework client, String basePath) {
    this.client = client;
    this.basePath = basePath;
  }

  public static ZooKeeperWorkerIdLease claim(CuratorFramework client, String basePath) {
    ZooKeeperWorkerIdLease claimed = new ZooKeeperWorkerIdLease(client, basePath);
    boolean leased;
    try {
      leased = claimed.claimAny();
    } catch (Exception e) {
      if (ZooKeeperFailures.unreachable(e)) {
        throw new WorkerIdLostException(
            claimed.backend(), "cannot lease a worker id: " + e.getMessage(), e);
      }
      if (e instanceof RuntimeException misuse) {
        throw misuse;
      }
      throw new IllegalStateException("cannot lease a worker id: " + e.getMessage(), e);
    }
    if (!leased) {
      throw new IllegalStateException("all worker ids are leased");
    }
    client.getConnectionStateListenable().addListener((c, state) -> claimed.onStateChange(state));
    claimed.keeper.scheduleWithFixedDelay(claimed::keep, 1, 1, TimeUnit.SECONDS);
    return claimed;
  }

  private void onStateChange(ConnectionState state) {
    switch (state) {
      case SUSPENDED -> connected = false;
      case LOST -> {
        connected = false;
        workerId = -1;
      }
      case RECONNECTED, CONNECTED -> keeper.execute(this::recheck);
      default -> {}
    }
  }

  private void recheck() {
    try {
      int id = workerId;
      if (id >= 0) {
        Stat stat = client.checkExists().forPath(basePath + "/live/" + id);
        long session = client.getZookeeperClient().getZooKeeper().getSessionId();
        if (stat == null || stat.getEphemeralOwner() != session) {
          workerId = -1;
        }
      }
      if (workerId < 0) {
        claimAny();
      }
      connected = workerId >= 0;
    } catch (Exception e) {
      // next tick
    }
  }

  private boolean claimAny() throws Exception {
    int ids = OrderNumberGenerator.MAX_WORKER_ID + 1;
    int start = ThreadLocalRandom.current().nextInt(ids);
    for (int i = 0; i < ids; i++) {
      int id = (start + i) % ids;
      try {
        client
            .create()
            .creatingParentsIfNeeded()
            .withMode(CreateMode.EPHEMERAL)
            .forPath(basePath + "/live/" + id);
      } catch (KeeperException.NodeExistsException taken) {
        continue;
      }
      issuedBeforeMillis = readIssuedBefore(id);
      raiseIssuedBefore(id);
      workerId = id;
      connected = true;
      return true;
    }
    return false;
  }

  private long readIssuedBefore(int id) throws Exception {
    try {
      return Long.parseLong(
          new String(
              client.getData().forPath(basePath + "/issued-before/" + id),
              StandardCharsets.US_ASCII));
    } catch (KeeperException.NoNodeException never) {
      return 0;
    }
  }

  private void raiseIssuedBefore(int id) throws Exception {
    int session = client.getZookeeperClient().getZooKeeper().getSessionTimeout();
    // after a takeover we issue from the previous bound on, so our bound starts from there too
    long bound = Math.max(issuedBeforeMillis, System.currentTimeMillis()) + session + 2_000L;
    byte[] data = Long.toString(bound).getBytes(StandardCharsets.US_ASCII);
    String path = basePath + "/issued-before/" + id;
    long sentAt = System.nanoTime();
    try {
      client.setData().forPath(path, data);
    } catch (KeeperException.NoNodeException first) {
      client.create().creatingParentsIfNeeded().forPath(path, data);
    }
    validUntilNanos = sentAt + TimeUnit.MILLISECONDS.toNanos(session);
  }

  private void keep() {
    try {
      int id = workerId;
      if (id >= 0 && connected) {
        raiseIssuedBefore(id);
      } else if (id < 0 && client.getZookeeperClient().isConnected()) {
        recheck();
      }
    } catch (Exception e) {
      // next tick
    }
  }

  @Override
  public int workerId() {
    int id = workerId;
    if (id < 0) {
      throw new WorkerIdLostException(backend(), "no worker id leased from ZooKeeper");
    }
    return id;
  }

  @Override
  public String backend() {
    return BackendUnavailableException.ZOOKEEPER;
  }

  @Override
  public boolean isValid() {
    return connected && workerId >= 0 && System.nanoTime() - validUntilNanos < 0;
  }

  @Override
  public long issuedBeforeMillis() {
    return issuedBeforeMillis;
  }

  @Override
  public void close() {
    keeper.shutdownNow();
    int id = workerId;
    workerId = -1;
    if (id >= 0) {
      try {
        client.delete().guaranteed().inBackground().forPath(basePath + "/live/" + id);
      } catch (Exception e) {
        // the session end frees it
      }
    }
  }
}
