package io.railrush.kit.lock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.railrush.kit.testing.TestZooKeeper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingCluster;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The contract on a real in-process ZooKeeper, plus what only ZooKeeper promises. */
class ZooKeeperLockTest extends LockServiceContract {

  private static final int SESSION_MILLIS = 1_000;
  private static TestingServer server;

  @BeforeAll
  static void startZooKeeper() throws Exception {
    System.setProperty("zookeeper.4lw.commands.whitelist", "*");
    // tickTime 200 ms: sessions of 0.4–4 s, so a killed holder's session ends within a second
    server = TestZooKeeper.server(new InstanceSpec(null, -1, -1, -1, true, -1, 200, -1));
  }

  @AfterAll
  static void stopZooKeeper() throws Exception {
    server.close();
  }

  @Override
  protected String spec() {
    return "zk|" + server.getConnectString() + "|" + SESSION_MILLIS;
  }

  @Override
  protected Duration deathBound() {
    return Duration.ofMillis(SESSION_MILLIS * 2L);
  }

  /** Its own session, expired the way a long GC pause or a partition expires it. */
  @Override
  protected LockHandle stalledHolder(LockService ignored, String name) throws Exception {
    LockBackends.Backend other = LockBackends.open(spec());
    LockHandle stalled =
        other.service().tryAcquire(name, Duration.ZERO, Duration.ofSeconds(5)).orElseThrow();
    CuratorFramework client = (CuratorFramework) other.resources();
    client.getZookeeperClient().getZooKeeper().getTestable().injectSessionExpiration();
    await().atMost(Duration.ofSeconds(10)).until(() -> !stalled.isHeld());
    return stalled;
  }

  @Test
  void onReleaseExactlyOneWaiterIsNotified() throws Exception {
    int waiters = 6;
    LockHandle holder = locks.tryAcquire(name, Duration.ZERO, Duration.ofSeconds(5)).orElseThrow();
    AtomicInteger acquired = new AtomicInteger();
    List<LockHandle> granted = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(waiters)) {
      List<Future<?>> done = new ArrayList<>();
      for (int i = 0; i < waiters; i++) {
        done.add(
            pool.submit(
                () -> {
                  Optional<LockHandle> h =
                      locks.tryAcquire(name, Duration.ofSeconds(30), Duration.ofSeconds(5));
                  acquired.incrementAndGet();
                  synchronized (granted) {
                    granted.add(h.orElseThrow());
                  }
                  return null;
                }));
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> watchedLockNodes().size() == waiters);
      List<String> before = watchedLockNodes();
      assertThat(before).doesNotHaveDuplicates(); // each waiter watches its own predecessor
      assertThat(watchesOn("/railrush/locks/" + name)).isZero(); // nobody watches the directory

      holder.release();
      await().atMost(Duration.ofSeconds(10)).until(() -> acquired.get() == 1);
      Thread.sleep(300);
      assertThat(acquired).hasValue(1);
      List<String> after = watchedLockNodes();
      // one watch fired (the released node's); every other waiter's watch is still armed
      assertThat(before).containsAll(after);
      assertThat(before.size() - after.size()).isEqualTo(1);

      for (int i = 0; i < waiters; i++) {
        await()
            .atMost(Duration.ofSeconds(10))
            .until(
                () -> {
                  synchronized (granted) {
                    return !granted.isEmpty();
                  }
                });
        synchronized (granted) {
          granted.remove(0).release();
        }
      }
      for (Future<?> f : done) {
        f.get();
      }
    }
    assertThat(acquired).hasValue(waiters);
  }

  @Test
  void theLockSurvivesTheLossOfOneServerOfThree() throws Exception {
    // tickTime 1 s: ZooKeeper caps a session at 20 ticks, and Curator's test default (100 ms)
    // would cut the 10 s session asked for below to 2 s, shorter than an election on a busy CI box
    List<InstanceSpec> servers = new ArrayList<>();
    for (int id = 1; id <= 3; id++) {
      servers.add(new InstanceSpec(null, -1, -1, -1, true, id, 1_000, -1));
    }
    try (TestingCluster cluster = TestZooKeeper.cluster(servers)) {
      cluster.start();
      try (LockBackends.Backend a =
              LockBackends.open("zk|" + cluster.getConnectString() + "|10000");
          LockBackends.Backend b =
              LockBackends.open("zk|" + cluster.getConnectString() + "|10000")) {
        LockHandle holder =
            a.service()
                .tryAcquire(name, Duration.ofSeconds(5), Duration.ofSeconds(5))
                .orElseThrow();
        CuratorFramework client = (CuratorFramework) a.resources();
        InstanceSpec connectedTo =
            cluster.findConnectionInstance(client.getZookeeperClient().getZooKeeper());
        cluster.killServer(connectedTo);
        await().atMost(Duration.ofSeconds(20)).until(holder::isHeld);
        assertThat(b.service().tryAcquire(name, Duration.ofMillis(500), Duration.ofSeconds(5)))
            .isEmpty();
        holder.release();
        LockHandle next =
            b.service()
                .tryAcquire(name, Duration.ofSeconds(10), Duration.ofSeconds(5))
                .orElseThrow();
        assertThat(next.fencingToken()).isGreaterThan(holder.fencingToken());
        next.release();
      }
    }
  }

  /**
   * Curator's known trap: release() during connection loss leaves the node until the session ends.
   */
  @Test
  void aReleaseDuringConnectionLossStillFreesTheLockBeforeTheSessionEnds() throws Exception {
    try (LockBackends.Backend holderNode =
        LockBackends.open("zk|" + server.getConnectString() + "|4000")) {
      LockHandle holder =
          holderNode.service().tryAcquire(name, Duration.ZERO, Duration.ofSeconds(5)).orElseThrow();
      server.stop();
      long releasing = System.nanoTime();
      holder.release(); // the server is unreachable now
      assertThat(java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - releasing))
          .isLessThan(1_000);
      server.restart();
      long restarted = System.nanoTime();
      try (LockBackends.Backend other =
          LockBackends.open("zk|" + server.getConnectString() + "|4000")) {
        assertThat(other.service().tryAcquire(name, Duration.ofSeconds(10), Duration.ofSeconds(5)))
            .isPresent();
      }
      // the guaranteed delete ran on reconnect: the holder's session (4 s) is still alive
      assertThat(((CuratorFramework) holderNode.resources()).getZookeeperClient().isConnected())
          .isTrue();
      assertThat(java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - restarted))
          .isLessThan(4_000);
    }
  }

  /** The lock's child nodes that some session watches ({@code wchp}, one line per watched path). */
  private List<String> watchedLockNodes() throws Exception {
    String prefix = "/railrush/locks/" + name + "/";
    return wchp().stream().filter(p -> p.startsWith(prefix)).toList();
  }

  private long watchesOn(String path) throws Exception {
    return wchp().stream().filter(path::equals).count();
  }

  private static List<String> wchp() throws Exception {
    try (Socket socket = new Socket("127.0.0.1", server.getPort())) {
      OutputStream out = socket.getOutputStream();
      out.write("wchp".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      BufferedReader in =
          new BufferedReader(
              new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
      List<String> paths = new ArrayList<>();
      for (String line; (line = in.readLine()) != null; ) {
        if (line.startsWith("/")) {
          paths.add(line.trim());
        }
      }
      return paths;
    }
  }
}
