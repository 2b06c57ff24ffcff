package io.railrush.app.messaging;

import io.railrush.app.identity.AdminAccess;
import io.railrush.app.web.ApiException;
import io.railrush.app.web.ErrorCode;
import io.railrush.app.web.Refusals;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
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

  MessagesController(
      OutboxRepository outbox, DeadLetters deadLetters, Deliveries deliveries, Clock clock) {
    this.outbox = outbox;
    this.deadLetters = deadLetters;
    this.deliveries = deliveries;
    this.clock = clock;
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

  record Overview(OutboxRepository.Counts outbox, long dead, List<DeadLetterView> deadLetters) {}

  record DeadList(long dead, List<DeadLetterView> deadLetters) {}

  /** {@code unknown}: ids asked for that name no dead letter (replayed already, or mistyped). */
  record Replayed(int replayed, int stillFailing, List<String> unknown) {}

  @GetMapping("/api/v1/admin/messages")
  @Refusals({ErrorCode.UNAUTHORIZED, ErrorCode.FORBIDDEN})
  Overview overview(AdminAccess admin) {
    return new Overview(
        outbox.counts(clock.millis()),
        deadLetters.count(),
        deadLetters.list(LISTED).stream().map(MessagesController::view).toList());
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
