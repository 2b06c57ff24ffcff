package io.railrush.app.catalog;

import io.railrush.kit.cache.GuardedCacheSettings;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code railrush.cache.run-stock.*} and {@code railrush.cache.run-search.*}: each is the kit's
 * {@link GuardedCacheSettings}, bound as it is ({@code ttl}, {@code grace}, {@code jitter}, {@code
 * backup-ttl}, {@code negative-ttl}, {@code max-wait}, {@code max-concurrent-loads}, {@code
 * bulkhead-wait}, …); a value left out takes the kit's default.
 *
 * @param keyPrefix prefix of every key in the shared tier (one per environment sharing a Redis):
 *     when set, it is the {@code key-prefix} of both caches
 */
@ConfigurationProperties("railrush.cache")
record QueryCacheProperties(
    GuardedCacheSettings runStock, GuardedCacheSettings runSearch, String keyPrefix) {

  QueryCacheProperties {
    runStock = withSharedPrefix(runStock, keyPrefix);
    runSearch = withSharedPrefix(runSearch, keyPrefix);
  }

  private static GuardedCacheSettings withSharedPrefix(
      GuardedCacheSettings settings, String keyPrefix) {
    GuardedCacheSettings bound = settings == null ? GuardedCacheSettings.defaults() : settings;
    return keyPrefix == null ? bound : bound.withKeyPrefix(keyPrefix);
  }
}
