package io.railrush.app.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import io.railrush.kit.cache.GuardedCacheSettings;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** The documented {@code railrush.cache.*} names bind straight into the kit's settings. */
class QueryCachePropertiesTest {

  private static QueryCacheProperties bind(Map<String, String> properties) {
    return new Binder(new MapConfigurationPropertySource(properties))
        .bindOrCreate("railrush.cache", Bindable.of(QueryCacheProperties.class));
  }

  @Test
  void nothingSetGivesTheKitDefaults() {
    QueryCacheProperties bound = bind(Map.of());
    assertThat(bound.runStock()).isEqualTo(GuardedCacheSettings.defaults());
    assertThat(bound.runSearch()).isEqualTo(GuardedCacheSettings.defaults());
    assertThat(bound.runStock().keyPrefix()).isEqualTo("railrush:cache:");
  }

  @Test
  void theDocumentedNamesBindAndTheRestKeepTheirDefaults() {
    QueryCacheProperties bound =
        bind(
            Map.of(
                "railrush.cache.run-stock.ttl", "3s",
                "railrush.cache.run-stock.grace", "20s",
                "railrush.cache.run-stock.jitter", "0.1",
                "railrush.cache.run-stock.backup-ttl", "5m",
                "railrush.cache.run-stock.negative-ttl", "2s",
                "railrush.cache.run-stock.max-wait", "800ms",
                "railrush.cache.run-stock.max-concurrent-loads", "8",
                "railrush.cache.run-stock.bulkhead-wait", "800ms",
                "railrush.cache.run-search.ttl", "7s",
                "railrush.cache.key-prefix", "env:cache:"));
    assertThat(bound.runStock())
        .isEqualTo(
            GuardedCacheSettings.defaults()
                .withTtl(Duration.ofSeconds(3))
                .withGrace(Duration.ofSeconds(20))
                .withJitter(0.1)
                .withBackupTtl(Duration.ofMinutes(5))
                .withNegativeTtl(Duration.ofSeconds(2))
                .withMaxWait(Duration.ofMillis(800))
                .withBulkhead(8, Duration.ofMillis(800))
                .withKeyPrefix("env:cache:"));
    assertThat(bound.runSearch())
        .isEqualTo(
            GuardedCacheSettings.defaults()
                .withTtl(Duration.ofSeconds(7))
                .withKeyPrefix("env:cache:"));
  }

  @Test
  void aPerCacheKeyPrefixHoldsWhenNoSharedOneIsSet() {
    QueryCacheProperties bound = bind(Map.of("railrush.cache.run-search.key-prefix", "s:"));
    assertThat(bound.runSearch().keyPrefix()).isEqualTo("s:");
    assertThat(bound.runStock().keyPrefix()).isEqualTo("railrush:cache:");
  }
}
