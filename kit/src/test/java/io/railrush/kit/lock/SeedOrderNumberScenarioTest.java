package io.railrush.kit.lock;

import static org.assertj.core.api.Assertions.assertThat;

import io.railrush.kit.testing.ChildJvm;
import io.railrush.kit.testing.TestRedis;
import io.railrush.kit.testing.TestZooKeeper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The classic order-number failure: two "Tomcats" (JVMs) share one read-increment-write generator.
 * A JVM lock keeps each JVM's threads apart but not the two JVMs: duplicates. Each distributed
 * lock: none.
 */
@Tag("redis")
@Tag("postgres")
@Tag("mariadb")
class SeedOrderNumberScenarioTest {

  private static final int THREADS = 4;
  private static final int PER_THREAD = 40;

  @TempDir Path dir;

  @Test
  void aJvmLockLetsTwoNodesIssueDuplicates() throws Exception {
    assertThat(duplicates("jvm")).isPositive();
  }

  @Test
  void aRedisLockPreventsThem() throws Exception {
    assertThat(duplicates("redis|" + TestRedis.URL + "|" + TestRedis.uniquePrefix("seed")))
        .isZero();
  }

  @Test
  void aZooKeeperLockPreventsThem() throws Exception {
    try (TestingServer zk = TestZooKeeper.server()) {
      assertThat(duplicates("zk|" + zk.getConnectString() + "|5000")).isZero();
    }
  }

  @Test
  void aPostgresLockPreventsThem() throws Exception {
    assertThat(duplicates(TestLockDatabases.freshPostgres())).isZero();
  }

  @Test
  void aMariaDbLockPreventsThem() throws Exception {
    assertThat(duplicates(TestLockDatabases.freshMariaDb())).isZero();
  }

  private long duplicates(String spec) throws Exception {
    String name = "order-number-" + UUID.randomUUID();
    Path numberFile = dir.resolve("last-order-number");
    Files.writeString(numberFile, "0");
    Path go = dir.resolve("go");
    Path childOut = dir.resolve("child-numbers");
    List<Long> numbers = new ArrayList<>();
    try (ChildJvm child =
            ChildJvm.start(
                SeedOrderNumbers.class,
                dir.resolve("child.log"),
                spec,
                name,
                numberFile.toString(),
                String.valueOf(THREADS),
                String.valueOf(PER_THREAD),
                go.toString(),
                childOut.toString());
        LockBackends.Backend backend = spec.equals("jvm") ? null : LockBackends.open(spec)) {
      assertThat(child.readLine()).isEqualTo("READY");
      Files.writeString(go, "go");
      numbers.addAll(
          SeedOrderNumbers.generate(
              backend == null ? null : backend.service(), name, numberFile, THREADS, PER_THREAD));
      assertThat(child.readLine()).isEqualTo("DONE");
      assertThat(child.awaitExit(Duration.ofSeconds(60))).isZero();
    }
    Files.readAllLines(childOut).forEach(line -> numbers.add(Long.parseLong(line)));
    assertThat(numbers).hasSize(2 * THREADS * PER_THREAD);
    return numbers.size() - new HashSet<>(numbers).size();
  }
}
