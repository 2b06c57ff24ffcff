package io.railrush.app.grab;

import io.railrush.app.web.ApiException;
import io.railrush.app.web.ErrorCode;
import io.railrush.kit.BackendUnavailableException;
import io.railrush.kit.cache.SharedTier;
import io.railrush.kit.limit.Permit;
import io.railrush.kit.limit.RateLimits;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
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

  IdempotentGrabs(
      SharedTier tier, RateLimits claims, ObjectMapper json, GrabProperties properties) {
    this.tier = tier;
    this.claims = claims;
    this.json = json;
    this.prefix = properties.keyPrefix() + "idem:";
    this.ttl = properties.idempotencyTtl();
  }

  /**
   * The first final answer stored for (user, key), else {@code grab}'s answer, kept for replay.
   *
   * @throws ApiException 409 CONFLICT while another request with the key is running
   */
  GrabOutcome answer(String userId, String key, Supplier<GrabOutcome> grab) {
    String stored = prefix + userId + ":" + key;
    Optional<GrabOutcome> replay = stored(stored);
    if (replay.isPresent()) {
      return replay.get();
    }
    String claim = "idem-claim:" + userId + ":" + key;
    Permit claimed = claims.oncePer(claim, CLAIM);
    if (!claimed.granted()) {
      throw new ApiException(
          ErrorCode.CONFLICT,
          "a request with this Idempotency-Key is in progress",
          claimed.retryAfter(),
          Map.of());
    }
    GrabOutcome outcome = null;
    try {
      replay = stored(stored); // the previous holder of the claim may have just finished
      if (replay.isPresent()) {
        return replay.get();
      }
      outcome = grab.get();
      return outcome;
    } finally {
      finish(stored, claim, outcome);
    }
  }

  private Optional<GrabOutcome> stored(String storedKey) {
    String stored = tier.get(storedKey);
    return stored == null
        ? Optional.empty()
        : Optional.of(json.readValue(stored, GrabOutcome.class));
  }

  /**
   * Keeps a final answer for replay and gives the claim back (a limited or BUSY request may be
   * retried). Quiet when the store is unreachable: the answer itself still goes out.
   */
  private void finish(String storedKey, String claim, GrabOutcome outcome) {
    try {
      if (outcome != null && outcome.isFinal()) {
        tier.put(storedKey, json.writeValueAsString(outcome), ttl);
      }
      claims.endWindow(claim);
    } catch (BackendUnavailableException unreachable) {
      // the claim ends by itself; a retry then runs again and meets the user's reservation
    }
  }
}
