package io.railrush.app.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;

/** Runs many numbered tasks at once, a bounded number at a time, and returns their results. */
public final class InParallel {

  /** One task; {@code i} is its number. */
  public interface Task<T> {
    T run(int i) throws Exception;
  }

  private InParallel() {}

  /** Runs {@code n} tasks, 64 at a time, and returns their results in order. */
  public static <T> List<T> run(int n, Task<T> task) throws Exception {
    Semaphore slots = new Semaphore(64);
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<T>> futures = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        int index = i;
        futures.add(
            threads.submit(
                () -> {
                  slots.acquire();
                  try {
                    return task.run(index);
                  } finally {
                    slots.release();
                  }
                }));
      }
      List<T> results = new ArrayList<>(n);
      for (Future<T> future : futures) {
        results.add(future.get());
      }
      return results;
    }
  }
}
