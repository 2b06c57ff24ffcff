package io.railrush.app.messaging;

import io.railrush.app.infra.BoundCondition;
import java.util.List;

/** Where the relay hands claimed outbox rows. */
interface MessageTransport {

  /** What became of one message. */
  sealed interface Handover {}

  /** Handed on (confirmed by the broker, or applied by every local consumer): published. */
  record Done() implements Handover {}

  /** Not handed on now: the relay's lease lapses and a relay tries it again. */
  record NotSent(String why) implements Handover {}

  /** A local consumer failed: the row is tried again at {@code atMs}. */
  record RetryAt(long atMs, int attempts) implements Handover {}

  /** One result per message, in order. */
  List<Handover> send(List<Message> batch);

  final class OnInProcess extends OnTransport {
    OnInProcess() {
      super(MessagingProperties.Transport.IN_PROCESS);
    }
  }

  final class OnRabbit extends OnTransport {
    OnRabbit() {
      super(MessagingProperties.Transport.RABBITMQ);
    }
  }

  abstract class OnTransport extends BoundCondition<MessagingProperties> {
    private final MessagingProperties.Transport transport;

    OnTransport(MessagingProperties.Transport transport) {
      super("railrush.messaging", MessagingProperties.class);
      this.transport = transport;
    }

    @Override
    protected boolean matches(MessagingProperties properties) {
      return properties.transport() == transport;
    }
  }
}
