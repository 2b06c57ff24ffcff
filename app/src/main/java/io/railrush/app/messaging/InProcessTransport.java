package io.railrush.app.messaging;

import io.railrush.app.infra.Roles;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.springframework.context.annotation.Conditional;
import org.springframework.stereotype.Component;

/**
 * Embedded mode: each message is applied to this JVM's consumers of its type. A failure leaves the
 * row in the outbox to be tried again after the backoff (consumers that had applied it find it in
 * their inbox); after the last attempt the failing consumer's copy is dead-lettered. A parked
 * message (an outage) keeps its attempt count.
 */
@Component
@Conditional(MessageTransport.OnInProcess.class)
class InProcessTransport implements MessageTransport {

  private final Deliveries deliveries;
  private final List<MessageConsumer> consumers;
  private final Clock clock;

  InProcessTransport(Deliveries deliveries, Roles roles, Clock clock) {
    this.deliveries = deliveries;
    this.consumers = deliveries.consumersOn(roles);
    this.clock = clock;
  }

  @Override
  public List<Handover> send(List<Message> batch) {
    List<Handover> results = new ArrayList<>(batch.size());
    for (Message message : batch) {
      long retryAt = -1;
      boolean spent = false;
      for (MessageConsumer consumer : consumers) {
        if (!consumer.types().contains(message.type())) {
          continue;
        }
        switch (deliveries.deliver(consumer, message)) {
          case Deliveries.RetryAfter retry -> {
            retryAt = Math.max(retryAt, clock.millis() + retry.delay().toMillis());
            spent = true;
          }
          case Deliveries.Parked parked ->
              retryAt =
                  Math.max(
                      retryAt, clock.millis() + deliveries.backoff(message.attempt()).toMillis());
          case Deliveries.Applied applied -> {}
          case Deliveries.DeadLettered dead -> {}
        }
      }
      // the row keeps this attempt if any consumer failed on its own, else (only outages) it gets
      // the attempt back; consumers that applied it find it in their inbox next time
      results.add(
          retryAt < 0
              ? new Done()
              : new RetryAt(retryAt, spent ? message.attempt() : message.attempt() - 1));
    }
    return results;
  }
}
