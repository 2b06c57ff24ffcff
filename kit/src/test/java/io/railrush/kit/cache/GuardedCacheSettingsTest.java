package io.railrush.kit.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class GuardedCacheSettingsTest {

  @Test
  void nullComponentsTakeTheDefaultsSoABinderMayLeaveAnyOut() {
    GuardedCacheSettings bound =
        new GuardedCacheSettings(
            Duration.ofSeconds(7),
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null);
    assertThat(bound).isEqualTo(GuardedCacheSettings.defaults().withTtl(Duration.ofSeconds(7)));
    GuardedCacheSettings d = GuardedCacheSettings.defaults();
    assertThat(d.ttl()).isEqualTo(Duration.ofSeconds(5));
    assertThat(d.grace()).isEqualTo(Duration.ofSeconds(10));
    assertThat(d.jitter()).isEqualTo(0.2);
    assertThat(d.backupTtl()).isEqualTo(Duration.ofMinutes(10));
    assertThat(d.negativeTtl()).isEqualTo(Duration.ofSeconds(10));
    assertThat(d.maxWait()).isEqualTo(Duration.ofMillis(500));
    assertThat(d.lockLease()).isEqualTo(Duration.ofSeconds(5));
    assertThat(d.pollInterval()).isEqualTo(Duration.ofMillis(5));
    assertThat(d.maxConcurrentLoads()).isEqualTo(16);
    assertThat(d.bulkheadWait()).isEqualTo(Duration.ofMillis(100));
    assertThat(d.earlyRefreshBeta()).isEqualTo(1.0);
    assertThat(d.earlyRefreshWindow()).isEqualTo(0.1);
    assertThat(d.localMaximumSize()).isEqualTo(100_000L);
    assertThat(d.tierPause()).isEqualTo(Duration.ofSeconds(1));
    assertThat(d.keyPrefix()).isEqualTo("railrush:cache:");
  }

  @Test
  void invalidValuesAreRefusedWhenSet() {
    GuardedCacheSettings d = GuardedCacheSettings.defaults();
    assertThatThrownBy(() -> d.withTtl(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> d.withGrace(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> d.withJitter(1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> d.withJitter(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> d.withBackupTtl(Duration.ofMillis(-5)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> d.withMaxWait(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> d.withBulkhead(0, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> d.withEarlyRefreshBeta(-1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> d.withEarlyRefreshWindow(1.5))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> d.withLocalMaximumSize(-1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> d.withKeyPrefix(null)).isInstanceOf(NullPointerException.class);
    // the builder validates as each value is set, not at build()
    assertThatThrownBy(
            () -> GuardedCache.builder("c", key -> null, ValueCodec.identity()).jitter(-0.1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void withersChangeOneValueAndLeaveTheOriginalAlone() {
    GuardedCacheSettings d = GuardedCacheSettings.defaults();
    GuardedCacheSettings tuned = d.withBulkhead(4, Duration.ofSeconds(2)).withKeyPrefix("t:");
    assertThat(tuned.maxConcurrentLoads()).isEqualTo(4);
    assertThat(tuned.bulkheadWait()).isEqualTo(Duration.ofSeconds(2));
    assertThat(tuned.keyPrefix()).isEqualTo("t:");
    assertThat(tuned.ttl()).isEqualTo(d.ttl());
    assertThat(d).isEqualTo(GuardedCacheSettings.defaults());
    assertThat(d.maxConcurrentLoads()).isEqualTo(16);
  }

  @Test
  void aBuilderChangesSeveralValuesAndValidatesTheWholeOnBuild() {
    GuardedCacheSettings d = GuardedCacheSettings.defaults();
    GuardedCacheSettings tuned =
        d.toBuilder()
            .ttl(Duration.ofSeconds(30))
            .pollInterval(Duration.ofMillis(20))
            .keyPrefix("b:")
            .build();
    assertThat(tuned.ttl()).isEqualTo(Duration.ofSeconds(30));
    assertThat(tuned.pollInterval()).isEqualTo(Duration.ofMillis(20));
    assertThat(tuned.keyPrefix()).isEqualTo("b:");
    assertThat(tuned.grace()).isEqualTo(d.grace());
    assertThat(GuardedCacheSettings.from(tuned).build()).isEqualTo(tuned);
    assertThatThrownBy(() -> d.toBuilder().ttl(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> d.toBuilder().jitter(2).build())
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(
            GuardedCache.builder("c", key -> null, ValueCodec.identity())
                .pollInterval(Duration.ofMillis(7))
                .build()
                .settings()
                .pollInterval())
        .isEqualTo(Duration.ofMillis(7));
  }
}
