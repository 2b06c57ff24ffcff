package io.railrush.kit.lock;

import io.railrush.kit.testing.Concurrently;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The naive order-number generator: read the last number, add one, write it back — shared by every
 * "Tomcat" (here: a file both JVMs use), guarded either by a JVM lock or by a distributed lock. Run
 * by this JVM and by a child JVM ({@link #main}) at the same time.
 */
final class SeedOrderNumbers {

  /** {@code <spec or "jvm"> <name> <numberFile> <threads> <perThread> <goFile> <outFile>}. */
  public static void main(String[] args) throws Exception {
    try (LockBackends.Backend backend = args[0].equals("jvm") ? null : LockBackends.open(args[0])) {
      System.out.println("READY");
      System.out.flush();
      while (!Files.exists(Path.of(args[5]))) {
        Thread.sleep(5);
      }
      List<Long> numbers =
          generate(
              backend == null ? null : backend.service(),
              args[1],
              Path.of(args[2]),
              Integer.parseInt(args[3]),
              Integer.parseInt(args[4]));
      Files.write(Path.of(args[6]), numbers.stream().map(String::valueOf).toList());
      System.out.println("DONE");
    }
  }

  private static final ReentrantLock JVM_LOCK = new ReentrantLock();

  /** Numbers handed out by this process; {@code locks == null} means the JVM lock only. */
  static List<Long> generate(
      LockService locks, String name, Path numberFile, int threads, int perThread)
      throws Exception {
    ConcurrentLinkedQueue<Long> issued = new ConcurrentLinkedQueue<>();
    Concurrently.run(
        threads,
        () -> {
          for (int i = 0; i < perThread; i++) {
            if (locks == null) {
              JVM_LOCK.lock();
              try {
                issued.add(nextNumber(numberFile));
              } finally {
                JVM_LOCK.unlock();
              }
            } else {
              try (LockHandle lock =
                  locks
                      .tryAcquire(name, Duration.ofSeconds(60), Duration.ofSeconds(10))
                      .orElseThrow()) {
                issued.add(nextNumber(numberFile));
              }
            }
          }
          return null;
        });
    return new ArrayList<>(issued);
  }

  private static long nextNumber(Path numberFile) throws Exception {
    String text = Files.readString(numberFile).trim();
    long next = (text.isEmpty() ? 0 : Long.parseLong(text)) + 1;
    Thread.sleep(1); // simulated "business work" between reading and writing the counter
    Files.writeString(numberFile, Long.toString(next));
    return next;
  }
}
