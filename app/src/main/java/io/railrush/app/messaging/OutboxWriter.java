package io.railrush.app.messaging;

import java.time.Clock;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import tools.jackson.databind.ObjectMapper;

/**
 * Writes every {@link ExternalEvent} to the outbox where it is published: in the publisher's thread
 * and transaction, so the row commits with the fact or not at all. Publishing one outside a
 * transaction is a bug (the fact and its message could part), refused loudly.
 */
@Component
class OutboxWriter {

  private final OutboxRepository outbox;
  private final ObjectMapper json;
  private final Clock clock;

  OutboxWriter(OutboxRepository outbox, ObjectMapper json, Clock clock) {
    this.outbox = outbox;
    this.json = json;
    this.clock = clock;
  }

  @EventListener
  void on(ExternalEvent event) {
    if (!TransactionSynchronizationManager.isActualTransactionActive()) {
      throw new IllegalStateException(
          event.getClass().getSimpleName() + " published outside a transaction: not written");
    }
    outbox.append(
        event.messageId(),
        event.getClass().getSimpleName(),
        json.writeValueAsString(event),
        clock.millis());
  }
}
