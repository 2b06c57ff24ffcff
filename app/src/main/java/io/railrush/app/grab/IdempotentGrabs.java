package io.railrush.app.grab;

import io.railrush.kit.cache.SharedTier;
import io.railrush.kit.limit.Permit;
import io.railrush.kit.limit.RateLimits;
import java.time.Duration;
import java.util.Optional;
import org.springframework.stereotype.Component;
import tools.jackson.databind.ObjectMapper;

/**
 * {@code Idempotency-Key} on grabs: the first final answer of a (user, key) is stored with a TTL
 * and replayed; a second request while the first is running is refused rather than run twice.
 */
@Component
class IdempotentGrabs {

  private static final Duration CLAIM = Duration.ofSeconds(10);

  private final SharedTier tier;
  private final RateLimits claims;
  private final ObjectMapper json;
  private final String prefix;
  private final Duration ttl;

  IdempotentGrabs(SharedTier tier, RateLimits claims, ObjectMapper json, GrabProperties properties) {
    this.tier = tier;
    this.claims = claims;
    this.json = json;
    this.prefix = properties.keyPrefix() + "idem:";
    this.ttl = properties.idempotencyTtl();
  }

  Optional<GrabOutcome> stored(String userId, String key) {
    String stored = tier.get(prefix + userId + ":" + key);
    return stored == null ? Optional.empty() : Optional.of(json.readValue(stored, GrabOutcome.class));
  }

  /** Claims the key for this request; refused while another request with it runs. */
  Permit claim(String userId, String key) {
    return claims.oncePer("idem-claim:" + userId + ":" + key, CLAIM);
  }

  /**
   * Keeps a final answer for replay and gives the claim back (a limited or BUSY request may be
   * retried). Quiet when the store is unreachable: the answer itself still goes out.
   */
  void finish(String userId, String key, GrabOutcome outcome) {
    try {
      if (outcome.isFinal()) {
        tier.put(prefix + userId + ":" + key, json.writeValueAsString(outcome), ttl);
      }
      claims.endWindow("idem-claim:" + userId + ":" + key);
    } catch (RuntimeException unreachable) {
      // the claim ends by itself; a retry then runs again and meets the user's reservation
    }
  }
}
