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
 * their inbox); after the last attempt the failing consumer's copy is dead-lettered.
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
      Handover handover = new Done();
      for (MessageConsumer consumer : consumers) {
        if (!consumer.types().contains(message.type())) {
          continue;
        }
        if (deliveries.deliver(consumer, message) instanceof Deliveries.RetryAfter retry) {
          handover = new RetryAt(clock.millis() + retry.delay().toMillis(), message.attempt());
        }
      }
      results.add(handover);
    }
    return results;
  }
}
