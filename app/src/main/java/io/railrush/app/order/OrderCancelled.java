package io.railrush.app.order;

import io.railrush.app.messaging.ExternalEvent;
import org.springframework.modulith.NamedInterface;

/**
 * CREATED → CANCELLED; the database seat was given back in the same transaction. Published as an
 * application event inside the transaction that made it true (listeners acting on the outside world
 * listen after commit); the order module never calls back into the modules that listen.
 */
@NamedInterface("api")
public record OrderCancelled(String orderNo, String runId, String userId, String reason)
    implements ExternalEvent {

  @Override
  public String messageId() {
    return "OrderCancelled:" + orderNo;
  }
}
