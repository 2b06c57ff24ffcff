package io.railrush.kit.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** Runs the same body on N threads at once and rethrows the first failure. */
public final class Concurrently {

  private Concurrently() {}

  public static void run(int threads, Callable<?> body) throws Exception {
    try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        done.add(pool.submit(body));
      }
      for (Future<?> f : done) {
        f.get();
      }
    }
  }
}
