package io.railrush.app.infra;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where state shared by the nodes lives ({@code railrush.shared-tier}): the query cache's second
 * tier, seat reservations, rate limits, idempotency answers and pending orders.
 *
 * @param sharedTier {@code in-process} (one JVM: embedded mode) or {@code redis} (a cluster)
 */
@ConfigurationProperties("railrush")
public record SharedTierProperties(@DefaultValue("in-process") Kind sharedTier) {

  public enum Kind {
    /** in this JVM: correct for one node only */
    IN_PROCESS,
    /** Redis, shared by every node */
    REDIS
  }

  /** True when the shared tier is Redis. */
  public static final class OnRedis extends BoundCondition<SharedTierProperties> {
    OnRedis() {
      super("railrush", SharedTierProperties.class);
    }

    @Override
    protected boolean matches(SharedTierProperties properties) {
      return properties.sharedTier() == Kind.REDIS;
    }
  }
}
