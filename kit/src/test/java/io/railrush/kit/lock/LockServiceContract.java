package io.railrush.kit.lock;

import static org.assertj.core.api.Assertions.assertThat;

import io.railrush.kit.testing.ChildJvm;
import io.railrush.kit.testing.Concurrently;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every lock backend guarantees. A subclass says how to reach its backend ({@link #spec()});
 * the suite runs it in this JVM and, where the backend is shared, in a second JVM it may kill.
 */
abstract class LockServiceContract {

  /** The backend as {@link LockBackends} builds it, for this JVM and for child JVMs. */
  protected abstract String spec();

  /** Whether a second process can share this backend (all but in-process). */
  protected boolean shared() {
    return true;
  }

  /** How long after a holder's death its lock is free at the latest (lease or session). */
  protected Duration deathBound() {
    return Duration.ofSeconds(2);
  }

  /**
   * Makes {@code holder} lose its grant the way a stalled process does (lease/session runs out).
   */
  protected abstract LockHandle stalledHolder(LockService locks, String name) throws Exception;

  @TempDir Path dir;
  protected LockBackends.Backend backend;
  protected LockService locks;
  protected final String name = "run-" + UUID.randomUUID().toString().substring(0, 8);

  @BeforeEach
  void open() {
    backend = LockBackends.open(spec());
    locks = backend.service();
  }

  private LockBackends.Backend second;

  /**
   * Another service instance on the same backend, as another node would have: it shares no local
   * state (gate, handles) with {@link #locks}, so what it sees is what the backend says. The
   * in-process backend has no second instance: {@link #locks} itself.
   */
  protected LockService secondInstance() {
    if (!shared()) {
      return locks;
    }
    if (second == null) {
      second = LockBackends.open(spec());
    }
    return second.service();
  }

  @AfterEach
  void close() throws Exception {
    backend.close();
    if (second != null) {
      second.close();
    }
  }

  @Test
  void mutualExclusionWithOneServiceInstancePerThread() throws Exception {
    if (!shared()) {
      return; // in-process instances share nothing by design
    }
    int instances = 6;
    int iterations = 10;
    Path counter = dir.resolve("counter");
    Files.writeString(counter, "0 0");
    Concurrently.run(
        instances,
        () -> {
          try (LockBackends.Backend own = LockBackends.open(spec())) {
            return LockWorkerMain.SharedCounter.hammer(own.service(), name, counter, 1, iterations);
          }
        });
    long count = Long.parseLong(Files.readString(counter).split(" ")[0]);
    assertThat(count).isEqualTo((long) instances * iterations);
  }

  @Test
  void mutualExclusionUnderContentionAcrossThreadsAndProcesses() throws Exception {
    int threads = 32;
    int iterations = shared() ? 12 : 24;
    Path counter = dir.resolve("counter");
    Path go = dir.resolve("go");
    Files.writeString(counter, "0 0");
    ChildJvm child = null;
    if (shared()) {
      child =
          ChildJvm.start(
              LockWorkerMain.class,
              dir.resolve("child.log"),
              "hammer",
              spec(),
              name,
              counter.toString(),
              String.valueOf(threads),
              String.valueOf(iterations),
              go.toString());
      assertThat(child.readLine()).isEqualTo("READY");
    }
    Files.writeString(go, "go");
    assertThat(LockWorkerMain.SharedCounter.hammer(locks, name, counter, threads, iterations))
        .isEqualTo("DONE");
    int processes = 1;
    if (child != null) {
      assertThat(child.readLine()).isEqualTo("DONE");
      assertThat(child.awaitExit(Duration.ofSeconds(60))).isZero();
      processes = 2;
    }
    long count = Long.parseLong(Files.readString(counter).split(" ")[0]);
    assertThat(count).isEqualTo((long) processes * threads * iterations);
  }

  @Test
  void aKilledHoldersLockIsFreedByItsLeaseOrSession() throws Exception {
    if (!shared()) {
      return; // nothing outlives a killed in-process lock
    }
    try (ChildJvm holder =
        ChildJvm.start(
            LockWorkerMain.class, dir.resolve("holder.log"), "hold", spec(), name, "1000")) {
      String held = holder.readLine();
      assertThat(held).startsWith("HELD ");
      assertThat(locks.tryAcquire(name, Duration.ZERO, Duration.ofSeconds(5))).isEmpty();
      holder.kill();
      long killedAt = System.nanoTime();
      Optional<LockHandle> next =
          locks.tryAcquire(name, deathBound().plusSeconds(5), Duration.ofSeconds(5));
      long freedAfterMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);
      assertThat(next).isPresent();
      assertThat(freedAfterMillis).isLessThanOrEqualTo(deathBound().plusSeconds(1).toMillis());
      assertThat(next.get().fencingToken()).isGreaterThan(Long.parseLong(held.substring(5)));
      next.get().release();
    }
  }

  @Test
  void aStalledHoldersLateWriteIsRefusedByItsFencingToken() throws Exception {
    FencedRegister resource = new FencedRegister();
    LockHandle stalled = stalledHolder(locks, name);
    assertThat(stalled.isHeld()).isFalse();
    LockHandle next =
        locks.tryAcquire(name, Duration.ofSeconds(10), Duration.ofSeconds(10)).orElseThrow();
    assertThat(next.fencingToken()).isGreaterThan(stalled.fencingToken());
    assertThat(resource.write("new holder", next.fencingToken())).isTrue();
    assertThat(resource.write("stale holder", stalled.fencingToken())).isFalse();
    assertThat(resource.value()).isEqualTo("new holder");
    stalled.release(); // must not free the new holder's grant
    assertThat(next.isHeld()).isTrue();
    // asked through another instance: the backend's answer, not this instance's local gate
    assertThat(secondInstance().tryAcquire(name, Duration.ofMillis(200), Duration.ofSeconds(5)))
        .isEmpty();
    next.release();
    assertThat(locks.tryAcquire(name, Duration.ofSeconds(5), Duration.ofSeconds(5))).isPresent();
  }

  @Test
  void theWaitBoundIsHonoured() {
    LockHandle holder = locks.tryAcquire(name, Duration.ZERO, Duration.ofSeconds(10)).orElseThrow();
    long started = System.nanoTime();
    assertThat(locks.tryAcquire(name, Duration.ofMillis(300), Duration.ofSeconds(10))).isEmpty();
    long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    assertThat(waited).isBetween(290L, 3_000L);
    holder.release();
    assertThat(holder.isHeld()).isFalse();
    assertThat(locks.tryAcquire(name, Duration.ofSeconds(5), Duration.ofSeconds(10))).isPresent();
  }

  @Test
  void fencingTokensStrictlyIncreaseGrantAfterGrant() {
    long previous = 0;
    for (int i = 0; i < 20; i++) {
      try (LockHandle handle =
          locks.tryAcquire(name, Duration.ofSeconds(5), Duration.ofSeconds(5)).orElseThrow()) {
        assertThat(handle.fencingToken()).isGreaterThan(previous);
        previous = handle.fencingToken();
      }
    }
  }

  @Test
  void aHeldLockOutlivesItsLeaseWhileTheHolderIsAlive() throws Exception {
    // a lease of 1 s renewed while held, watched for 2.5 leases: long enough that a renewal a few
    // hundred ms late on a busy machine does not lose it, short enough to see it renewed twice
    LockHandle holder = locks.tryAcquire(name, Duration.ZERO, Duration.ofSeconds(1)).orElseThrow();
    Thread.sleep(2_500);
    assertThat(holder.isHeld()).isTrue();
    assertThat(holder.remainingLease()).isPositive();
    assertThat(locks.tryAcquire(name, Duration.ofMillis(100), Duration.ofSeconds(5))).isEmpty();
    holder.release();
    assertThat(holder.remainingLease()).isZero();
  }

  /** A resource that remembers the highest fencing token it accepted. */
  static final class FencedRegister {
    private final AtomicLong highestToken = new AtomicLong();
    private volatile String value;

    synchronized boolean write(String newValue, long token) {
      if (token <= highestToken.get()) {
        return false;
      }
      highestToken.set(token);
      value = newValue;
      return true;
    }

    String value() {
      return value;
    }
  }
}
