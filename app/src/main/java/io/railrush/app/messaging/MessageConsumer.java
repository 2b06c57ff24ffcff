package io.railrush.app.messaging;

import io.railrush.app.infra.Roles;
import java.util.Set;
import org.springframework.modulith.NamedInterface;

/**
 * A module's consumer of external events (a bean). {@link #handle} runs in a transaction that
 * commits before the message is acknowledged; it must have no second effect for a message id it has
 * applied before (an inbox table in the consumer's own module), because every message may arrive
 * more than once. Throwing rolls the transaction back and retries the message later, with
 * exponential backoff, then dead-letters it.
 */
@NamedInterface("api")
public interface MessageConsumer {

  /** Names its queue and its dead letters; stable, lower case. */
  String name();

  /** The event types it receives. */
  Set<String> types();

  /** The nodes that run it. */
  Roles.Role role();

  void handle(Message message);

  /**
   * Forgets up to {@code limit} records of messages applied before {@code beforeMs} (its inbox), so
   * the inbox does not grow for ever; how many it forgot.
   */
  default int forgetAppliedBefore(long beforeMs, int limit) {
    return 0;
  }
}
