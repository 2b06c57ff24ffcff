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
      Handover handover = new Done();
      for (MessageConsumer consumer : consumers) {
        if (!consumer.types().contains(message.type())) {
          continue;
        }
        switch (deliveries.deliver(consumer, message)) {
          case Deliveries.RetryAfter retry ->
              handover = new RetryAt(clock.millis() + retry.delay().toMillis(), message.attempt());
          case Deliveries.Parked parked ->
              // the attempt is given back: the row keeps the attempts it had before this one
              handover =
                  new RetryAt(
                      clock.millis() + deliveries.backoff(message.attempt()).toMillis(),
                      message.attempt() - 1);
          case Deliveries.Applied applied -> {}
          case Deliveries.DeadLettered dead -> {}
        }
      }
      results.add(handover);
    }
    return results;
  }
}
