package io.railrush.app.messaging;

import io.micrometer.core.instrument.MeterRegistry;
import io.railrush.app.identity.AdminAccess;
import io.railrush.app.web.ApiException;
import io.railrush.app.web.ErrorCode;
import io.railrush.app.web.Refusals;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** What the messages are doing (admin), and replaying dead letters once their cause is fixed. */
@RestController
class MessagesController {

  private static final int LISTED = 500;

  private final OutboxRepository outbox;
  private final DeadLetters deadLetters;
  private final Deliveries deliveries;
  private final Clock clock;
  private final MeterRegistry meters;

  MessagesController(
      OutboxRepository outbox,
      DeadLetters deadLetters,
      Deliveries deliveries,
      Clock clock,
      MeterRegistry meters) {
    this.outbox = outbox;
    this.deadLetters = deadLetters;
    this.deliveries = deliveries;
    this.clock = clock;
    this.meters = meters;
  }

  record DeadLetterView(
      String id,
      String consumer,
      String messageId,
      String type,
      int attempts,
      String lastError,
      Instant deadAt,
      String payload) {}

  /**
   * One consumer's queue. {@code ready} and {@code retrying} are the broker's queue and delay queue
   * (cluster), or the outbox's rows (embedded, where the outbox is every consumer's queue); {@code
   * inFlight} and {@code done} are this node's (being applied now; applied since it started).
   */
  record QueueView(String queue, long ready, long inFlight, long retrying, long done, long dead) {}

  record Overview(
      List<QueueView> queues,
      OutboxRepository.Counts outbox,
      long dead,
      List<DeadLetterView> deadLetters) {}

  record DeadList(long dead, List<DeadLetterView> deadLetters) {}

  /** {@code unknown}: ids asked for that name no dead letter (replayed already, or mistyped). */
  record Replayed(int replayed, int stillFailing, List<String> unknown) {}

  @GetMapping("/api/v1/admin/messages")
  @Refusals({ErrorCode.UNAUTHORIZED, ErrorCode.FORBIDDEN})
  Overview overview(AdminAccess admin) {
    OutboxRepository.Counts counts = outbox.counts(clock.millis());
    Map<String, Long> deadByConsumer = deadLetters.countByConsumer();
    List<QueueView> queues =
        deliveries.consumers().stream()
            .map(
                consumer -> {
                  String name = consumer.name();
                  return new QueueView(
                      name,
                      queued(name, "ready").orElse(counts.ready()),
                      Math.round(gauge("railrush.messages.in.flight", name).orElse(0.0)),
                      queued(name, "retrying").orElse(counts.retrying()),
                      Math.round(
                          Optional.ofNullable(
                                  meters
                                      .find("railrush.messages.deliveries")
                                      .tags("consumer", name, "outcome", "applied")
                                      .counter())
                              .map(io.micrometer.core.instrument.Counter::count)
                              .orElse(0.0)),
                      deadByConsumer.getOrDefault(name, 0L));
                })
            .toList();
    return new Overview(
        queues,
        counts,
        deadLetters.count(),
        deadLetters.list(LISTED).stream().map(MessagesController::view).toList());
  }

  /** The broker's count for the consumer's queue ({@code ready}) or delay queue (cluster only). */
  private Optional<Long> queued(String consumer, String state) {
    return Optional.ofNullable(
            meters
                .find("railrush.messages.queued")
                .tags("consumer", consumer, "state", state)
                .gauge())
        .map(g -> g.value())
        .filter(v -> !Double.isNaN(v))
        .map(Math::round);
  }

  private Optional<Double> gauge(String name, String consumer) {
    return Optional.ofNullable(meters.find(name).tag("consumer", consumer).gauge())
        .map(io.micrometer.core.instrument.Gauge::value);
  }

  @GetMapping("/api/v1/admin/messages/dead")
  @Refusals({ErrorCode.UNAUTHORIZED, ErrorCode.FORBIDDEN})
  DeadList dead(AdminAccess admin) {
    return new DeadList(
        deadLetters.count(),
        deadLetters.list(LISTED).stream().map(MessagesController::view).toList());
  }

  /**
   * {@code {"ids":[...]}} or {@code {"all":true}}: exactly one of them, so an empty or mistyped
   * body never replays everything.
   */
  record ReplayRequest(List<String> ids, Boolean all) {}

  @PostMapping("/api/v1/admin/messages/dead/replay")
  @Refusals({ErrorCode.BAD_REQUEST, ErrorCode.UNAUTHORIZED, ErrorCode.FORBIDDEN})
  Replayed replay(AdminAccess admin, @RequestBody(required = false) ReplayRequest request) {
    boolean all = request != null && Boolean.TRUE.equals(request.all());
    boolean some = request != null && request.ids() != null;
    if (all == some) {
      throw ApiException.badRequest("give either \"ids\":[...] or \"all\":true");
    }
    if (some && (request.ids().isEmpty() || request.ids().size() > LISTED)) {
      throw ApiException.badRequest("\"ids\" takes 1-" + LISTED + " dead letter ids");
    }
    List<DeadLetters.DeadLetter> chosen = new ArrayList<>();
    List<String> unknown = new ArrayList<>();
    if (all) {
      chosen.addAll(deadLetters.list(LISTED));
    } else {
      for (String id : new LinkedHashSet<>(request.ids())) {
        int colon = id == null ? -1 : id.indexOf(':');
        Optional<DeadLetters.DeadLetter> dead =
            colon <= 0
                ? Optional.empty()
                : deadLetters.find(id.substring(0, colon), id.substring(colon + 1));
        dead.ifPresentOrElse(chosen::add, () -> unknown.add(id));
      }
    }
    int replayed = 0;
    int failing = 0;
    for (DeadLetters.DeadLetter dead : chosen) {
      if (deliveries.replay(dead)) {
        replayed++;
      } else {
        failing++;
      }
    }
    return new Replayed(replayed, failing, unknown);
  }

  private static DeadLetterView view(DeadLetters.DeadLetter dead) {
    return new DeadLetterView(
        dead.consumer() + ":" + dead.messageId(),
        dead.consumer(),
        dead.messageId(),
        dead.type(),
        dead.attempts(),
        dead.lastError(),
        Instant.ofEpochMilli(dead.deadAtMs()),
        dead.payload());
  }
}
