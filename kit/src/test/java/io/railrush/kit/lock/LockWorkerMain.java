package io.railrush.kit.lock;

import io.railrush.kit.testing.Concurrently;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The other process of the lock contract tests.
 *
 * <ul>
 *   <li>{@code hammer <spec> <name> <counterFile> <threads> <iterations> <goFile>}: waits for the
 *       go file, then each thread increments the counter file under the lock, without atomics.
 *   <li>{@code hold <spec> <name> <leaseMs>}: takes the lock, prints {@code HELD <fence>}, and
 *       waits to be killed.
 * </ul>
 */
public final class LockWorkerMain {

  public static void main(String[] args) throws Exception {
    try (LockBackends.Backend backend = LockBackends.open(args[1])) {
      if (args[0].equals("hold")) {
        LockHandle handle =
            backend
                .service()
                .tryAcquire(
                    args[2], Duration.ofSeconds(30), Duration.ofMillis(Long.parseLong(args[3])))
                .orElseThrow();
        System.out.println("HELD " + handle.fencingToken());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
      }
      Path counter = Path.of(args[3]);
      int threads = Integer.parseInt(args[4]);
      int iterations = Integer.parseInt(args[5]);
      Path go = Path.of(args[6]);
      System.out.println("READY");
      System.out.flush();
      while (!Files.exists(go)) {
        Thread.sleep(5);
      }
      System.out.println(
          SharedCounter.hammer(backend.service(), args[2], counter, threads, iterations));
    }
  }

  /**
   * The critical section both processes run: read, pause, write — wrong without mutual exclusion.
   */
  static final class SharedCounter {
    static String hammer(LockService locks, String name, Path counter, int threads, int iterations)
        throws Exception {
      Concurrently.run(
          threads,
          () -> {
            for (int i = 0; i < iterations; i++) {
              try (LockHandle lock =
                  locks
                      .tryAcquire(name, Duration.ofSeconds(60), Duration.ofSeconds(10))
                      .orElseThrow()) {
                String[] state = Files.readString(counter).trim().split(" ");
                long count = Long.parseLong(state[0]);
                long lastFence = Long.parseLong(state[1]);
                if (lock.fencingToken() <= lastFence) {
                  throw new IllegalStateException(
                      "fence went backwards: " + lock.fencingToken() + " after " + lastFence);
                }
                Thread.onSpinWait();
                Files.writeString(counter, (count + 1) + " " + lock.fencingToken());
              }
            }
            return null;
          });
      return "DONE";
    }
  }
}
