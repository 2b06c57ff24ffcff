package io.railrush.app.messaging;

import io.railrush.app.identity.AdminAccess;
import io.railrush.app.web.ApiException;
import io.railrush.app.web.ErrorCode;
import io.railrush.app.web.Refusals;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
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
      String consumer,
      String messageId,
      String type,
      int attempts,
      String lastError,
      Instant deadAt,
      String payload) {}

  record Overview(OutboxRepository.Counts outbox, long dead, List<DeadLetterView> deadLetters) {}

  record Replayed(int replayed, int stillFailing) {}

  @GetMapping("/api/v1/admin/messages")
  @Refusals({ErrorCode.UNAUTHORIZED, ErrorCode.FORBIDDEN})
  Overview overview(AdminAccess admin) {
    return new Overview(
        outbox.counts(clock.millis()),
        deadLetters.count(),
        deadLetters.list(LISTED).stream().map(MessagesController::view).toList());
  }

  @PostMapping("/api/v1/admin/messages/dead-letters/replay")
  @Refusals({ErrorCode.UNAUTHORIZED, ErrorCode.FORBIDDEN})
  Replayed replayAll(AdminAccess admin) {
    int replayed = 0;
    int failing = 0;
    for (DeadLetters.DeadLetter dead : deadLetters.list(LISTED)) {
      if (deliveries.replay(dead)) {
        replayed++;
      } else {
        failing++;
      }
    }
    return new Replayed(replayed, failing);
  }

  @PostMapping("/api/v1/admin/messages/dead-letters/{consumer}/{messageId}/replay")
  @Refusals({ErrorCode.UNAUTHORIZED, ErrorCode.FORBIDDEN, ErrorCode.NOT_FOUND, ErrorCode.CONFLICT})
  Replayed replayOne(
      AdminAccess admin, @PathVariable String consumer, @PathVariable String messageId) {
    DeadLetters.DeadLetter dead =
        deadLetters
            .find(consumer, messageId)
            .orElseThrow(
                () -> ApiException.notFound("dead letter " + messageId + " of " + consumer));
    if (!deliveries.replay(dead)) {
      throw new ApiException(
          ErrorCode.CONFLICT, "the replay failed again; the message stays dead-lettered");
    }
    return new Replayed(1, 0);
  }

  private static DeadLetterView view(DeadLetters.DeadLetter dead) {
    return new DeadLetterView(
        dead.consumer(),
        dead.messageId(),
        dead.type(),
        dead.attempts(),
        dead.lastError(),
        Instant.ofEpochMilli(dead.deadAtMs()),
        dead.payload());
  }
}
