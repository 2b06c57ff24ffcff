package io.railrush.app.grab;

import io.railrush.kit.cache.SharedTier;
import java.time.Duration;
import java.util.Collection;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;
import tools.jackson.databind.ObjectMapper;

/**
 * Accepted grabs not yet written, so their owners see them as PENDING; and grabs whose publish was
 * not confirmed, so the writer fails them instead of selling a seat nobody was told about. Kept in
 * the shared tier (Redis in a cluster) with a TTL.
 */
@Component
public class PendingGrabs {

  private final SharedTier tier;
  private final ObjectMapper json;
  private final String prefix;
  private final Duration ttl;

  PendingGrabs(SharedTier tier, ObjectMapper json, GrabProperties properties) {
    this.tier = tier;
    this.json = json;
    this.prefix = properties.keyPrefix();
    this.ttl = properties.reservationTimeout().multipliedBy(10);
  }

  void remember(GrabAccepted grab) {
    try {
      tier.put(prefix + "pending:" + grab.orderNo(), json.writeValueAsString(grab), ttl);
    } catch (RuntimeException lost) {
      // only the PENDING view is lost; the order appears once written
    }
  }

  /** The accepted grab behind {@code orderNo}, while it is on its way to the database. */
  public Optional<GrabAccepted> find(String orderNo) {
    try {
      String stored = tier.get(prefix + "pending:" + orderNo);
      return stored == null
          ? Optional.empty()
          : Optional.of(json.readValue(stored, GrabAccepted.class));
    } catch (RuntimeException unavailable) {
      return Optional.empty();
    }
  }

  void abandon(String orderNo) {
    tier.put(prefix + "abandoned:" + orderNo, "1", ttl);
  }

  /**
   * Which of {@code orderNos} are grabs whose publish failed and whose caller was answered 503; one
   * round trip per batch (Redis unreachable: none — the 202s matter more).
   */
  public Set<String> abandoned(Collection<String> orderNos) {
    try {
      Set<String> found =
          tier.existing(orderNos.stream().map(no -> prefix + "abandoned:" + no).toList());
      return found.stream()
          .map(key -> key.substring(key.lastIndexOf(':') + 1))
          .collect(Collectors.toSet());
    } catch (RuntimeException unavailable) {
      return Set.of();
    }
  }
}
