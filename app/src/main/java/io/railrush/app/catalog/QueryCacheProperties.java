package io.railrush.app.catalog;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code railrush.cache.run-stock.*} and {@code railrush.cache.run-search.*}.
 *
 * @param keyPrefix prefix of every key in the shared tier (one per environment sharing a Redis)
 */
@ConfigurationProperties("railrush.cache")
record QueryCacheProperties(
    @DefaultValue Settings runStock,
    @DefaultValue Settings runSearch,
    @DefaultValue("railrush:cache:") String keyPrefix) {

  /**
   * @param ttl how long a loaded value is fresh (jittered down by {@code jitter})
   * @param grace how far past {@code ttl} a copy is still served without {@code degraded}
   * @param backupTtl how long the shared backup copy lives
   * @param negativeTtl how long "no such run" is remembered
   * @param maxWait how long a caller with no copy at all waits for the reload
   * @param maxConcurrentLoads the per-node bulkhead on database loads
   */
  record Settings(
      @DefaultValue("5s") Duration ttl,
      @DefaultValue("10s") Duration grace,
      @DefaultValue("0.2") double jitter,
      @DefaultValue("10m") Duration backupTtl,
      @DefaultValue("10s") Duration negativeTtl,
      @DefaultValue("500ms") Duration maxWait,
      @DefaultValue("16") int maxConcurrentLoads) {}
}
