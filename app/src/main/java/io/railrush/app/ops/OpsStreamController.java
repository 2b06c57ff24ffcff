package io.railrush.app.ops;

import io.railrush.app.identity.AdminAccess;
import io.railrush.app.web.ApiException;
import io.railrush.app.web.ErrorCode;
import io.railrush.app.web.Refusals;
import java.io.IOException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.context.SmartLifecycle;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * {@code GET /api/v1/admin/ops/stream}: the dashboard's live feed, a Server-Sent Event {@code
 * snapshot} each second for ten minutes (the page then connects again). One virtual thread per open
 * dashboard. The streams end when the node stops, before the web server's graceful shutdown, which
 * would otherwise wait its whole timeout for an open dashboard.
 */
@RestController
class OpsStreamController implements SmartLifecycle {

  static final Duration EVERY = Duration.ofSeconds(1);
  static final Duration LIFETIME = Duration.ofMinutes(10);

  private final OpsFigures figures;
  private final Set<SseEmitter> open = ConcurrentHashMap.newKeySet();
  private volatile boolean running;

  OpsStreamController(OpsFigures figures) {
    this.figures = figures;
  }

  @Override
  public void start() {
    running = true;
  }

  @Override
  public void stop() {
    running = false;
    open.forEach(SseEmitter::complete);
    open.clear();
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  @GetMapping(path = "/api/v1/admin/ops/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
  @Refusals({ErrorCode.BAD_REQUEST, ErrorCode.UNAUTHORIZED, ErrorCode.FORBIDDEN})
  SseEmitter stream(AdminAccess admin, @RequestParam(required = false) String runId) {
    if (runId != null && (runId.isBlank() || runId.length() > 64)) {
      throw ApiException.badRequest("runId must be 1-64 characters");
    }
    SseEmitter emitter = new SseEmitter(LIFETIME.toMillis() + EVERY.toMillis());
    open.add(emitter);
    emitter.onCompletion(() -> open.remove(emitter));
    Thread.ofVirtual()
        .name("ops-stream")
        .start(
            () -> {
              long until = System.nanoTime() + LIFETIME.toNanos();
              try {
                while (running && System.nanoTime() < until) {
                  emitter.send(
                      SseEmitter.event()
                          .name("snapshot")
                          .data(figures.snapshot(runId), MediaType.APPLICATION_JSON));
                  Thread.sleep(EVERY);
                }
                emitter.complete();
              } catch (IOException | IllegalStateException gone) {
                // the dashboard went away (or the emitter timed out): nothing to tell anyone
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              } catch (RuntimeException failed) {
                emitter.completeWithError(failed);
              }
            });
    return emitter;
  }
}
