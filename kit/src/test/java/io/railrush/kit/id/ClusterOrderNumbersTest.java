package io.railrush.kit.id;

import static org.assertj.core.api.Assertions.assertThat;

import io.railrush.kit.testing.ChildJvm;
import io.railrush.kit.testing.TestRedis;
import io.railrush.kit.testing.TestZooKeeper;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.FileInputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** 4 JVMs × 100,000 order numbers, worker ids leased from ZooKeeper or Redis: no duplicates. */
@Tag("redis")
class ClusterOrderNumbersTest {

  private static final int NODES = 4;
  private static final int PER_NODE = 100_000;

  @TempDir Path dir;

  @Test
  void fourNodesLeasingFromZooKeeperNeverCollide() throws Exception {
    // tickTime 1 s, so the nodes' 5 s sessions are not capped at Curator's test default of 2 s:
    // four JVMs starting on two cores can stall that long, and an expired session rightly stops
    // the generator
    try (TestingServer zk =
        TestZooKeeper.server(new InstanceSpec(null, -1, -1, -1, true, -1, 1_000, -1))) {
      runNodes("zk|" + zk.getConnectString());
    }
  }

  @Test
  void fourNodesLeasingFromRedisNeverCollide() throws Exception {
    runNodes("redis|" + TestRedis.URL + "|" + TestRedis.uniquePrefix("ids"));
  }

  private void runNodes(String spec) throws Exception {
    List<ChildJvm> nodes = new ArrayList<>();
    List<Path> outputs = new ArrayList<>();
    for (int n = 0; n < NODES; n++) {
      Path out = dir.resolve("node-" + n + ".bin");
      outputs.add(out);
      nodes.add(
          ChildJvm.start(
              OrderNumberWorkerMain.class,
              dir.resolve("node-" + n + ".log"),
              spec,
              String.valueOf(PER_NODE),
              out.toString()));
    }
    for (ChildJvm node : nodes) {
      assertThat(node.readLine()).startsWith("DONE");
      assertThat(node.awaitExit(Duration.ofSeconds(60))).isZero();
    }
    Set<Long> all = new HashSet<>(NODES * PER_NODE * 2);
    Set<Integer> workers = new HashSet<>();
    for (Path out : outputs) {
      try (DataInputStream in =
          new DataInputStream(new BufferedInputStream(new FileInputStream(out.toFile())))) {
        long previous = Long.MIN_VALUE;
        for (int i = 0; i < PER_NODE; i++) {
          long id = in.readLong();
          assertThat(id).isGreaterThan(previous);
          previous = id;
          all.add(id);
        }
        workers.add(OrderNumberGenerator.workerOf(previous));
      }
    }
    assertThat(all).hasSize(NODES * PER_NODE);
    assertThat(workers).hasSize(NODES);
  }
}
