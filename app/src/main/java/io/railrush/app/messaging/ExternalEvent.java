package io.railrush.app.messaging;

import org.springframework.modulith.NamedInterface;

/**
 * An application event other modules and processes must learn of, even across a crash: publishing
 * one (inside the transaction that made it true) writes it to the outbox in that transaction. Its
 * type on the wire is the class's simple name, its payload the record as JSON.
 */
@NamedInterface("api")
public interface ExternalEvent {

  /** The same for a repeat of the same fact, different for every other fact. */
  String messageId();
}
