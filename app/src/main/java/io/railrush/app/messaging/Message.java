package io.railrush.app.messaging;

import org.springframework.modulith.NamedInterface;

/**
 * A message as a consumer receives it.
 *
 * @param id the producer's {@link ExternalEvent#messageId()}: the key of a consumer's inbox
 * @param type the event's simple class name
 * @param payload the event as JSON
 * @param attempt 1 for the first delivery, then one more for each retry
 */
@NamedInterface("api")
public record Message(String id, String type, String payload, int attempt) {

  Message withAttempt(int attempt) {
    return new Message(id, type, payload, attempt);
  }
}
