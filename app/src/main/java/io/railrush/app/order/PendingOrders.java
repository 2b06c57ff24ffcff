package io.railrush.app.order;

import io.railrush.kit.BackendUnavailableException;
import io.railrush.kit.cache.SharedTier;
import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
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
   * Which of {@code orderNos} are on their way: remembered as PENDING (only after the hand-over was
   * confirmed) and not abandoned; one round trip for the records, one for the marks.
   *
   * @throws BackendUnavailableException the shared tier is unreachable
   */
  Set<String> inFlight(Collection<String> orderNos) {
    if (orderNos.isEmpty()) {
      return Set.of();
    }
    Set<String> remembered = new HashSet<>(existing("pending:", orderNos));
    if (!remembered.isEmpty()) {
      remembered.removeAll(abandoned(remembered));
    }
    return remembered;
  }

  void abandon(String orderNo) {
    tier.put(prefix + "abandoned:" + orderNo, "1", ttl);
  }

  /**
   * Which of {@code orderNos} were abandoned; one round trip per batch.
   *
   * @throws BackendUnavailableException the shared tier is unreachable: the writer must not guess
   *     "none" (it would sell seats whose buyers were told 503), so its batch waits
   */
  Set<String> abandoned(Collection<String> orderNos) {
    return existing("abandoned:", orderNos);
  }

  /** The order numbers among {@code orderNos} that have a {@code kind} key; one round trip. */
  private Set<String> existing(String kind, Collection<String> orderNos) {
    return tier.existing(orderNos.stream().map(no -> prefix + kind + no).toList()).stream()
        .map(key -> key.substring(key.lastIndexOf(':') + 1))
        .collect(Collectors.toSet());
  }
}
