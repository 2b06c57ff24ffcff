package io.railrush.app.order;

import io.railrush.kit.BackendUnavailableException;
import io.railrush.kit.cache.SharedTier;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;
import tools.jackson.databind.ObjectMapper;

/**
 * Orders accepted but not yet written, so their owners see them as PENDING; and accepted orders
 * whose hand-over to the writer was not confirmed (the caller was answered 503), so the writer
 * fails them instead of selling a seat nobody was told about. Kept in the shared tier (Redis in a
 * cluster) with a TTL.
 */
@Component
class PendingOrders {

  private final SharedTier tier;
  private final ObjectMapper json;
  private final String prefix;
  private final Duration ttl;

  PendingOrders(SharedTier tier, ObjectMapper json, OrderProperties properties) {
    this.tier = tier;
    this.json = json;
    this.prefix = properties.keyPrefix();
    this.ttl = properties.pendingTtl();
  }

  /**
   * @throws BackendUnavailableException the shared tier is unreachable: the caller cannot promise
   *     that the order is visible
   */
  void remember(OrderRequest request) {
    tier.put(prefix + "pending:" + request.orderNo(), json.writeValueAsString(request), ttl);
  }

  /**
   * @throws BackendUnavailableException the shared tier is unreachable: whether the order is
   *     pending is unknown, which is not the same as "no such order"
   */
  Optional<OrderRequest> find(String orderNo) {
    String stored = tier.get(prefix + "pending:" + orderNo);
    return stored == null
        ? Optional.empty()
        : Optional.of(json.readValue(stored, OrderRequest.class));
  }

  /**
   * Whether {@code orderNo} is on its way: remembered as PENDING (only after its hand-over was
   * confirmed) and not abandoned.
   */
  boolean inFlight(String orderNo) {
    return find(orderNo).isPresent() && abandoned(List.of(orderNo)).isEmpty();
  }

  void abandon(String orderNo) {
    tier.put(prefix + "abandoned:" + orderNo, "1", ttl);
  }

  /**
   * Which of {@code orderNos} were abandoned; one round trip per batch (the shared tier
   * unreachable: none — the 202s matter more).
   */
  Set<String> abandoned(Collection<String> orderNos) {
    try {
      Set<String> found =
          tier.existing(orderNos.stream().map(no -> prefix + "abandoned:" + no).toList());
      return found.stream()
          .map(key -> key.substring(key.lastIndexOf(':') + 1))
          .collect(Collectors.toSet());
    } catch (BackendUnavailableException unavailable) {
      return Set.of();
    }
  }
}
