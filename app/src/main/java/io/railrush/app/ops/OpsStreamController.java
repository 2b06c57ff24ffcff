package io.railrush.app.ops;

import io.railrush.app.identity.AdminAccess;
import io.railrush.app.web.ApiException;
import io.railrush.app.web.ErrorCode;
import io.railrush.app.web.Refusals;
import java.io.IOException;
import java.time.Duration;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * {@code GET /api/v1/admin/ops/stream}: the dashboard's live feed, a Server-Sent Event {@code
 * snapshot} each second for ten minutes (the page then connects again). One virtual thread per open
 * dashboard.
 */
@RestController
class OpsStreamController {

  static final Duration EVERY = Duration.ofSeconds(1);
  static final Duration LIFETIME = Duration.ofMinutes(10);

  private final OpsFigures figures;

  OpsStreamController(OpsFigures figures) {
    this.figures = figures;
  }

  @GetMapping(path = "/api/v1/admin/ops/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
  @Refusals({ErrorCode.BAD_REQUEST, ErrorCode.UNAUTHORIZED, ErrorCode.FORBIDDEN})
  SseEmitter stream(AdminAccess admin, @RequestParam(required = false) String runId) {
    if (runId != null && (runId.isBlank() || runId.length() > 64)) {
      throw ApiException.badRequest("runId must be 1-64 characters");
    }
    SseEmitter emitter = new SseEmitter(LIFETIME.toMillis() + EVERY.toMillis());
    Thread.ofVirtual()
        .name("ops-stream")
        .start(
            () -> {
              long until = System.nanoTime() + LIFETIME.toNanos();
              try {
                while (System.nanoTime() < until) {
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
