package io.railrush.app.messaging;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import tools.jackson.databind.ObjectMapper;

/**
 * Writes every {@link ExternalEvent} to the outbox where it is published: in the publisher's
 * transaction, so the row commits with the fact or not at all. The events of one transaction go in
 * as one batched insert just before it commits (the order writer announces a whole batch of orders
 * at once). Publishing one outside a transaction is a bug (the fact and its message could part),
 * refused loudly; so is publishing one after its transaction's rows were written. An event must be
 * published in the transaction's own work, not from another synchronization's callbacks (one
 * registered during the commit would not be called).
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
    pendingOfThisTransaction()
        .add(
            new OutboxRepository.NewMessage(
                event.messageId(),
                event.getClass().getSimpleName(),
                json.writeValueAsString(event),
                clock.millis()));
  }

  /** The events of one transaction, written just before it commits; none may follow. */
  private final class Pending implements TransactionSynchronization {
    private final List<OutboxRepository.NewMessage> rows = new ArrayList<>();
    private boolean written;

    void add(OutboxRepository.NewMessage row) {
      if (written) {
        throw new IllegalStateException(
            row.type()
                + " published after its transaction's outbox rows were written: not written");
      }
      rows.add(row);
    }

    @Override
    public void beforeCommit(boolean readOnly) {
      outbox.appendAll(rows);
      written = true;
    }

    // a REQUIRES_NEW transaction suspends this one: its events are its own, not these

    @Override
    public void suspend() {
      TransactionSynchronizationManager.unbindResource(OutboxWriter.this);
    }

    @Override
    public void resume() {
      TransactionSynchronizationManager.bindResource(OutboxWriter.this, this);
    }

    @Override
    public void afterCompletion(int status) {
      TransactionSynchronizationManager.unbindResourceIfPossible(OutboxWriter.this);
    }
  }

  private Pending pendingOfThisTransaction() {
    Pending pending = (Pending) TransactionSynchronizationManager.getResource(this);
    if (pending == null) {
      pending = new Pending();
      TransactionSynchronizationManager.registerSynchronization(pending); // throws if too late
      TransactionSynchronizationManager.bindResource(this, pending);
    }
    return pending;
  }
}
