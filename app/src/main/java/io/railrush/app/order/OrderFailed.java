package io.railrush.app.order;

import io.railrush.app.messaging.ExternalEvent;
import org.springframework.modulith.NamedInterface;

/**
 * The order was written FAILED: it never held a seat in the database, and its reservation ahead of
 * the database is to be returned. Published as an application event inside the transaction that
 * made it true (listeners acting on the outside world listen after commit); the order module never
 * calls back into the modules that listen.
 */
@NamedInterface("api")
public record OrderFailed(String orderNo, String runId, String userId, String reason)
    implements ExternalEvent {

  @Override
  public String messageId() {
    return "OrderFailed:" + orderNo;
  }
}
