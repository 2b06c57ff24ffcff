package io.railrush.app.ops;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;
import tools.jackson.databind.ObjectMapper;

/**
 * The dashboard's demo flash crowd: {@code users} buyers log in (demo login) and grab a seat of one
 * run through this node's own HTTP API, each retrying after a 429 or 503 as a client would, until
 * it holds a seat, is told sold out or already holding, or the time is up. Bounded in users and
 * seconds, one crowd at a time, 64 requests in flight at most. For load that measures anything, use
 * {@code bin/bench}: this one shares the node's cores.
 */
@Component
class FlashCrowd {

  static final int MAX_USERS = 2_000;
  static final int MAX_SECONDS = 60;
  private static final int IN_FLIGHT = 64;
  private static final Logger log = LoggerFactory.getLogger(FlashCrowd.class);

  private final Environment environment;
  private final ObjectMapper json;
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(2))
          .build();
  private final AtomicReference<Crowd> current = new AtomicReference<>();
  private final Semaphore inFlight = new Semaphore(IN_FLIGHT);

  FlashCrowd(Environment environment, ObjectMapper json) {
    this.environment = environment;
    this.json = json;
  }

  /**
   * What the last crowd did: answers by status (or {@code error}), and whether any of its buyers is
   * still at work (a crowd ends when every buyer has stopped, not when its time is up).
   */
  record Progress(
      String runId,
      int users,
      Instant startedAt,
      Instant until,
      boolean running,
      Map<String, Long> answers) {}

  private record Crowd(
      String runId,
      int users,
      Instant startedAt,
      Instant until,
      Map<String, LongAdder> answers,
      LongAdder finished) {

    Progress progress() {
      Map<String, Long> counts = new TreeMap<>();
      answers.forEach((status, n) -> counts.put(status, n.sum()));
      return new Progress(
          runId,
          users,
          startedAt,
          until,
          finished.sum() < users && Instant.now().isBefore(until),
          counts);
    }
  }

  Progress progress() {
    Crowd crowd = current.get();
    return crowd == null ? null : crowd.progress();
  }

  /** Starts a crowd; false when one is still running. */
  boolean start(String runId, int users, int seconds) {
    Instant now = Instant.now();
    Crowd crowd =
        new Crowd(
            runId,
            users,
            now,
            now.plusSeconds(seconds),
            new ConcurrentHashMap<>(),
            new LongAdder());
    Crowd previous = current.get();
    if (previous != null && previous.progress().running()) {
      return false;
    }
    if (!current.compareAndSet(previous, crowd)) {
      return false;
    }
    String base = "http://127.0.0.1:" + environment.getProperty("local.server.port", "8080");
    String prefix = "crowd" + (now.toEpochMilli() % 1_000_000_000L) + "-";
    for (int i = 0; i < users; i++) {
      String userId = prefix + i;
      Thread.ofVirtual()
          .name("flash-crowd-" + i)
          .start(
              () -> {
                try {
                  buyer(crowd, base, userId);
                } finally {
                  crowd.finished().increment();
                }
              });
    }
    log.info("flash crowd of {} users on {} for {} s started", users, runId, seconds);
    return true;
  }

  private void buyer(Crowd crowd, String base, String userId) {
    try {
      if (!Instant.now().isBefore(crowd.until())) {
        count(crowd, "not started in time");
        return;
      }
      HttpResponse<String> login =
          call(
              HttpRequest.newBuilder(URI.create(base + "/api/v1/sessions"))
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString("{\"userId\":\"" + userId + "\"}")));
      if (login.statusCode() != 201) {
        count(crowd, "login " + login.statusCode());
        return;
      }
      String token = json.readTree(login.body()).path("token").asString();
      URI grab = URI.create(base + "/api/v1/runs/" + crowd.runId() + "/grabs");
      while (Instant.now().isBefore(crowd.until())) {
        HttpResponse<String> answer =
            call(
                HttpRequest.newBuilder(grab)
                    .header("Authorization", "Bearer " + token)
                    .POST(HttpRequest.BodyPublishers.noBody()));
        count(crowd, Integer.toString(answer.statusCode()));
        if (answer.statusCode() != 429 && answer.statusCode() != 503) {
          return; // holds a seat, or was told why not
        }
        long retryAfterMs =
            1_000L * answer.headers().firstValueAsLong("Retry-After").orElse(1)
                + ThreadLocalRandom.current().nextLong(250);
        Thread.sleep(retryAfterMs);
      }
    } catch (IOException e) {
      count(crowd, "error");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private HttpResponse<String> call(HttpRequest.Builder request)
      throws IOException, InterruptedException {
    inFlight.acquire();
    try {
      return http.send(
          request.timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    } finally {
      inFlight.release();
    }
  }

  private static void count(Crowd crowd, String answer) {
    crowd.answers().computeIfAbsent(answer, a -> new LongAdder()).increment();
  }
}
