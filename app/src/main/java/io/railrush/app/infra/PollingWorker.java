package io.railrush.app.infra;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One thread polling for work while the application runs: it polls again at once while a poll finds
 * a full load, otherwise waits until {@link #wakeUp()} or {@code idle} passes; a poll that throws
 * is logged and retried after a pause. A platform thread, so the pollers are never starved behind
 * the virtual threads of a flash crowd's requests. The owning bean calls {@link #start()} and
 * {@link #stop()} from its own lifecycle.
 */
public final class PollingWorker {

  /** One poll; true when there may be more work right away. */
  @FunctionalInterface
  public interface Poll {
    boolean poll() throws InterruptedException;
  }

  private static final Logger log = LoggerFactory.getLogger(PollingWorker.class);
  private static final Duration AFTER_FAILURE = Duration.ofMillis(500);

  private final String name;
  private final Duration idle;
  private final Poll poll;
  private final Semaphore wakeUps = new Semaphore(0);
  private volatile Thread thread;
  private volatile boolean running;

  public PollingWorker(String name, Duration idle, Poll poll) {
    this.name = name;
    this.idle = idle;
    this.poll = poll;
  }

  /** Ends the current wait at once (new work was just added). */
  public void wakeUp() {
    wakeUps.release();
  }

  public void start() {
    running = true;
    thread = Thread.ofPlatform().name(name).daemon().start(this::loop);
  }

  public void stop() {
    running = false;
    Thread current = thread;
    if (current != null) {
      current.interrupt();
      try {
        current.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  public boolean isRunning() {
    return running;
  }

  private void loop() {
    while (running) {
      try {
        if (!poll.poll()) {
          wakeUps.tryAcquire(idle.toMillis(), TimeUnit.MILLISECONDS);
          wakeUps.drainPermits();
        }
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        log.warn("{} failed: {}", name, e.toString());
        try {
          Thread.sleep(AFTER_FAILURE);
        } catch (InterruptedException interrupted) {
          return;
        }
      }
    }
  }
}
