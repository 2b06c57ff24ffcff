package io.railrush.app.infra;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * A bean that polls for work on one thread while the application runs: it polls again at once while
 * {@link #poll()} says more may be waiting, otherwise waits until {@link #wakeUp()} or {@code idle}
 * passes; a poll that throws is logged and retried after a pause. A platform thread, so the pollers
 * are never starved behind the virtual threads of a flash crowd's requests. A node without the role
 * ({@code enabled} false) starts no thread.
 */
public abstract class PollingWorker implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(PollingWorker.class);
  private static final Duration AFTER_FAILURE = Duration.ofMillis(500);

  private final String name;
  private final boolean enabled;
  private final Duration idle;
  private final Semaphore wakeUps = new Semaphore(0);
  private volatile Thread thread;
  private volatile boolean running;

  protected PollingWorker(String name, boolean enabled, Duration idle) {
    this.name = name;
    this.enabled = enabled;
    this.idle = idle;
  }

  /** One poll; true when there may be more work right away. */
  protected abstract boolean poll() throws InterruptedException;

  /** Ends the current wait at once (new work was just added). */
  protected final void wakeUp() {
    wakeUps.release();
  }

  @Override
  public final void start() {
    running = true;
    if (enabled) {
      thread = Thread.ofPlatform().name(name).daemon().start(this::loop);
    }
  }

  @Override
  public final void stop() {
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

  @Override
  public final boolean isRunning() {
    return running;
  }

  private void loop() {
    while (running) {
      try {
        if (!poll()) {
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
