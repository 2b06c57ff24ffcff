package io.railrush.app.messaging;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.railrush.app.infra.PollingWorker;
import io.railrush.app.infra.Roles;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionPhase;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * Hands outbox rows on: claims a batch under a lease (rows another relay holds are skipped, rows
 * whose lease lapsed are anyone's), sends it, marks what was handed on. Any number of relays may
 * run — one per sweeper-role node — and none sends a row another holds; a relay that dies mid-batch
 * leaves its rows to the others once the lease lapses (they may then be sent twice, which every
 * consumer's inbox absorbs).
 */
@Component
class OutboxRelay extends PollingWorker {

  private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);

  private final OutboxRepository outbox;
  private final MessageTransport transport;
  private final MessagingProperties properties;
  private final Clock clock;
  private final String owner = "relay-" + UUID.randomUUID().toString().substring(0, 8);

  OutboxRelay(
      OutboxRepository outbox,
      MessageTransport transport,
      MessagingProperties properties,
      Clock clock,
      Roles roles,
      MeterRegistry meters) {
    super("message-relay", roles.has(Roles.Role.SWEEPER), Duration.ofMillis(200));
    this.outbox = outbox;
    this.transport = transport;
    this.properties = properties;
    this.clock = clock;
    for (String state : List.of("ready", "in_flight", "retrying", "done")) {
      Gauge.builder("railrush.messages.outbox", () -> count(state))
          .tag("state", state)
          .description("outbox rows by state (ready, in flight under a lease, retrying, done)")
          .register(meters);
    }
  }

  private double count(String state) {
    OutboxRepository.Counts counts = outbox.counts(clock.millis());
    return switch (state) {
      case "ready" -> counts.ready();
      case "in_flight" -> counts.inFlight();
      case "retrying" -> counts.retrying();
      default -> counts.done();
    };
  }

  @Override
  protected boolean poll() {
    return relayOnce() == properties.batch();
  }

  /** One claim-send-mark round; the number of rows claimed. */
  int relayOnce() {
    long now = clock.millis();
    List<Message> batch =
        outbox.claim(owner, now, now + properties.lease().toMillis(), properties.batch());
    if (batch.isEmpty()) {
      return 0;
    }
    List<MessageTransport.Handover> results = transport.send(batch);
    long at = clock.millis();
    List<String> sent = new ArrayList<>(batch.size());
    for (int i = 0; i < batch.size(); i++) {
      Message message = batch.get(i);
      switch (results.get(i)) {
        case MessageTransport.Done done -> sent.add(message.id());
        case MessageTransport.RetryAt retry ->
            outbox.retryLater(message.id(), owner, retry.attempts(), retry.atMs());
        case MessageTransport.NotSent notSent ->
            log.warn("{} not sent, retried after the lease: {}", message.id(), notSent.why());
      }
    }
    int marked = outbox.published(sent, owner, at);
    if (marked < sent.size()) {
      log.warn(
          "{}: lease on {} rows lapsed before they were marked sent", owner, sent.size() - marked);
    }
    return batch.size();
  }

  /** An event just committed on this node: relay it now rather than at the next idle poll. */
  @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT)
  void committed(ExternalEvent event) {
    wakeUp();
  }
}
