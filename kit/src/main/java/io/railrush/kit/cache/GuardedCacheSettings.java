package io.railrush.kit.cache;

import java.time.Duration;
import java.util.Objects;

/**
 * Every tuning value of a {@link GuardedCache}, immutable and validated on construction.
 *
 * <p>A {@code null} component takes its default (the values of {@link #defaults()}), so a property
 * binder that leaves unset values {@code null} — Spring Boot's constructor binding of a nested
 * record, for one — yields a complete, valid record; that is also why the numbers are boxed. Start
 * from {@link #defaults()} and change a single value with a {@code with…} method, several with
 * {@link #toBuilder()}, or let {@link GuardedCache#builder} do it.
 *
 * @param ttl how long a loaded value is fresh: the logical expiry, jittered downwards (positive)
 * @param grace how far past {@code ttl} a copy may be before answers using it are marked degraded
 *     (zero or more)
 * @param jitter fraction of both lifetimes used to spread expiries, in [0, 1): 0.2 spreads a 5 s
 *     ttl over 4–5 s and a 10 min backup over 10–12 min
 * @param backupTtl how long a copy lives in the shared tier (jittered upwards) and in the
 *     in-process tier; stale copies come from it (positive)
 * @param negativeTtl how long "this key does not exist" is remembered (positive)
 * @param maxWait how long a caller with no copy at all waits for the reload before the fallback
 *     (positive)
 * @param lockLease lease of the cluster-wide rebuild lock: longer than any load (positive)
 * @param pollInterval how often a node that lost the rebuild lock looks for the winner's value
 *     (positive)
 * @param maxConcurrentLoads the bulkhead: at most this many source loads at once per cache in one
 *     JVM (1 or more)
 * @param bulkheadWait how long a load waits for a bulkhead slot before failing (zero or more)
 * @param earlyRefreshBeta XFetch's beta: 1 is the paper's default, larger refreshes earlier, 0
 *     turns early refresh off (zero or more)
 * @param earlyRefreshWindow early refresh happens only in this last fraction of the ttl, in [0, 1]
 * @param localMaximumSize how many entries the in-process tier keeps (zero or more)
 * @param tierPause how long to stop calling the shared tier after it failed (zero or more)
 * @param keyPrefix prefix of every shared-tier key and rebuild-lock name, e.g. per environment
 */
public record GuardedCacheSettings(
    Duration ttl,
    Duration grace,
    Double jitter,
    Duration backupTtl,
    Duration negativeTtl,
    Duration maxWait,
    Duration lockLease,
    Duration pollInterval,
    Integer maxConcurrentLoads,
    Duration bulkheadWait,
    Double earlyRefreshBeta,
    Double earlyRefreshWindow,
    Long localMaximumSize,
    Duration tierPause,
    String keyPrefix) {

  private static final GuardedCacheSettings DEFAULTS =
      new GuardedCacheSettings(
          null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);

  public GuardedCacheSettings {
    ttl = positive(Objects.requireNonNullElse(ttl, Duration.ofSeconds(5)), "ttl");
    grace = notNegative(Objects.requireNonNullElse(grace, Duration.ofSeconds(10)), "grace");
    jitter = Objects.requireNonNullElse(jitter, 0.2);
    if (!(jitter >= 0 && jitter < 1)) {
      throw new IllegalArgumentException("jitter must be in [0, 1), not " + jitter);
    }
    backupTtl =
        positive(Objects.requireNonNullElse(backupTtl, Duration.ofMinutes(10)), "backupTtl");
    negativeTtl =
        positive(Objects.requireNonNullElse(negativeTtl, Duration.ofSeconds(10)), "negativeTtl");
    maxWait = positive(Objects.requireNonNullElse(maxWait, Duration.ofMillis(500)), "maxWait");
    lockLease = positive(Objects.requireNonNullElse(lockLease, Duration.ofSeconds(5)), "lockLease");
    pollInterval =
        positive(Objects.requireNonNullElse(pollInterval, Duration.ofMillis(5)), "pollInterval");
    maxConcurrentLoads = Objects.requireNonNullElse(maxConcurrentLoads, 16);
    if (maxConcurrentLoads < 1) {
      throw new IllegalArgumentException(
          "maxConcurrentLoads must be >= 1, not " + maxConcurrentLoads);
    }
    bulkheadWait =
        notNegative(
            Objects.requireNonNullElse(bulkheadWait, Duration.ofMillis(100)), "bulkheadWait");
    earlyRefreshBeta = Objects.requireNonNullElse(earlyRefreshBeta, 1.0);
    if (!(earlyRefreshBeta >= 0 && earlyRefreshBeta < Double.POSITIVE_INFINITY)) {
      throw new IllegalArgumentException(
          "earlyRefreshBeta must be finite and >= 0, not " + earlyRefreshBeta);
    }
    earlyRefreshWindow = Objects.requireNonNullElse(earlyRefreshWindow, 0.1);
    if (!(earlyRefreshWindow >= 0 && earlyRefreshWindow <= 1)) {
      throw new IllegalArgumentException(
          "earlyRefreshWindow must be in [0, 1], not " + earlyRefreshWindow);
    }
    localMaximumSize = Objects.requireNonNullElse(localMaximumSize, 100_000L);
    if (localMaximumSize < 0) {
      throw new IllegalArgumentException("localMaximumSize must be >= 0, not " + localMaximumSize);
    }
    tierPause =
        notNegative(Objects.requireNonNullElse(tierPause, Duration.ofSeconds(1)), "tierPause");
    keyPrefix = Objects.requireNonNullElse(keyPrefix, "railrush:cache:");
  }

  /** The safe defaults: 5 s fresh, 10 s grace, 20 % jitter, 10 min backup, 500 ms wait, … */
  public static GuardedCacheSettings defaults() {
    return DEFAULTS;
  }

  public GuardedCacheSettings withTtl(Duration ttl) {
    return toBuilder().ttl(ttl).build();
  }

  public GuardedCacheSettings withGrace(Duration grace) {
    return toBuilder().grace(grace).build();
  }

  public GuardedCacheSettings withJitter(double jitter) {
    return toBuilder().jitter(jitter).build();
  }

  public GuardedCacheSettings withBackupTtl(Duration backupTtl) {
    return toBuilder().backupTtl(backupTtl).build();
  }

  public GuardedCacheSettings withNegativeTtl(Duration negativeTtl) {
    return toBuilder().negativeTtl(negativeTtl).build();
  }

  public GuardedCacheSettings withMaxWait(Duration maxWait) {
    return toBuilder().maxWait(maxWait).build();
  }

  public GuardedCacheSettings withLockLease(Duration lockLease) {
    return toBuilder().lockLease(lockLease).build();
  }

  public GuardedCacheSettings withPollInterval(Duration pollInterval) {
    return toBuilder().pollInterval(pollInterval).build();
  }

  public GuardedCacheSettings withBulkhead(int maxConcurrentLoads, Duration bulkheadWait) {
    return toBuilder().bulkhead(maxConcurrentLoads, bulkheadWait).build();
  }

  public GuardedCacheSettings withEarlyRefreshBeta(double earlyRefreshBeta) {
    return toBuilder().earlyRefreshBeta(earlyRefreshBeta).build();
  }

  public GuardedCacheSettings withEarlyRefreshWindow(double earlyRefreshWindow) {
    return toBuilder().earlyRefreshWindow(earlyRefreshWindow).build();
  }

  public GuardedCacheSettings withLocalMaximumSize(long localMaximumSize) {
    return toBuilder().localMaximumSize(localMaximumSize).build();
  }

  public GuardedCacheSettings withTierPause(Duration tierPause) {
    return toBuilder().tierPause(tierPause).build();
  }

  public GuardedCacheSettings withKeyPrefix(String keyPrefix) {
    return toBuilder().keyPrefix(keyPrefix).build();
  }

  /** A builder holding these values: change several, then {@link Builder#build()} validates. */
  public Builder toBuilder() {
    return from(this);
  }

  /**
   * A builder starting from {@code settings} (as resilience4j's {@code RateLimiterConfig.from}).
   */
  public static Builder from(GuardedCacheSettings settings) {
    return new Builder(settings);
  }

  /**
   * Changes values of a settings record; each setter takes a value ({@code null} is a mistake, not
   * "the default"), and {@link #build()} validates the whole.
   */
  public static final class Builder {
    private Duration ttl;
    private Duration grace;
    private Double jitter;
    private Duration backupTtl;
    private Duration negativeTtl;
    private Duration maxWait;
    private Duration lockLease;
    private Duration pollInterval;
    private Integer maxConcurrentLoads;
    private Duration bulkheadWait;
    private Double earlyRefreshBeta;
    private Double earlyRefreshWindow;
    private Long localMaximumSize;
    private Duration tierPause;
    private String keyPrefix;

    private Builder(GuardedCacheSettings from) {
      ttl = from.ttl;
      grace = from.grace;
      jitter = from.jitter;
      backupTtl = from.backupTtl;
      negativeTtl = from.negativeTtl;
      maxWait = from.maxWait;
      lockLease = from.lockLease;
      pollInterval = from.pollInterval;
      maxConcurrentLoads = from.maxConcurrentLoads;
      bulkheadWait = from.bulkheadWait;
      earlyRefreshBeta = from.earlyRefreshBeta;
      earlyRefreshWindow = from.earlyRefreshWindow;
      localMaximumSize = from.localMaximumSize;
      tierPause = from.tierPause;
      keyPrefix = from.keyPrefix;
    }

    public Builder ttl(Duration ttl) {
      this.ttl = required(ttl, "ttl");
      return this;
    }

    public Builder grace(Duration grace) {
      this.grace = required(grace, "grace");
      return this;
    }

    public Builder jitter(double jitter) {
      this.jitter = jitter;
      return this;
    }

    public Builder backupTtl(Duration backupTtl) {
      this.backupTtl = required(backupTtl, "backupTtl");
      return this;
    }

    public Builder negativeTtl(Duration negativeTtl) {
      this.negativeTtl = required(negativeTtl, "negativeTtl");
      return this;
    }

    public Builder maxWait(Duration maxWait) {
      this.maxWait = required(maxWait, "maxWait");
      return this;
    }

    public Builder lockLease(Duration lockLease) {
      this.lockLease = required(lockLease, "lockLease");
      return this;
    }

    public Builder pollInterval(Duration pollInterval) {
      this.pollInterval = required(pollInterval, "pollInterval");
      return this;
    }

    public Builder earlyRefreshBeta(double earlyRefreshBeta) {
      this.earlyRefreshBeta = earlyRefreshBeta;
      return this;
    }

    public Builder earlyRefreshWindow(double earlyRefreshWindow) {
      this.earlyRefreshWindow = earlyRefreshWindow;
      return this;
    }

    public Builder localMaximumSize(long localMaximumSize) {
      this.localMaximumSize = localMaximumSize;
      return this;
    }

    public Builder tierPause(Duration tierPause) {
      this.tierPause = required(tierPause, "tierPause");
      return this;
    }

    public Builder keyPrefix(String keyPrefix) {
      this.keyPrefix = required(keyPrefix, "keyPrefix");
      return this;
    }

    public Builder bulkhead(int maxConcurrentLoads, Duration bulkheadWait) {
      this.maxConcurrentLoads = maxConcurrentLoads;
      this.bulkheadWait = required(bulkheadWait, "bulkheadWait");
      return this;
    }

    public GuardedCacheSettings build() {
      return new GuardedCacheSettings(
          ttl,
          grace,
          jitter,
          backupTtl,
          negativeTtl,
          maxWait,
          lockLease,
          pollInterval,
          maxConcurrentLoads,
          bulkheadWait,
          earlyRefreshBeta,
          earlyRefreshWindow,
          localMaximumSize,
          tierPause,
          keyPrefix);
    }
  }

  /** A {@code with…} call means a value: {@code null} there is a mistake, not "the default". */
  private static <T> T required(T value, String what) {
    return Objects.requireNonNull(value, what);
  }

  private static Duration positive(Duration d, String what) {
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(what + " must be positive, not " + d);
    }
    return d;
  }

  private static Duration notNegative(Duration d, String what) {
    if (d.isNegative()) {
      throw new IllegalArgumentException(what + " must not be negative, not " + d);
    }
    return d;
  }
}
