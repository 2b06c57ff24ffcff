package io.railrush.kit.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.railrush.kit.BackendUnavailableException;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CacheUnavailableTest {

  @Test
  void noValueInTimeIsTheFamilyWithBackendCache() {
    GuardedCache<String, String> cache =
        GuardedCache.<String, String>builder(
                "run-stock",
                key -> {
                  Thread.sleep(2_000);
                  return Optional.of(key);
                },
                ValueCodec.identity())
            .maxWait(Duration.ofMillis(50))
            .build();
    assertThatThrownBy(() -> cache.get("K1"))
        .isInstanceOf(CacheUnavailableException.class)
        .isInstanceOf(BackendUnavailableException.class)
        .satisfies(e -> assertThat(((BackendUnavailableException) e).backend()).isEqualTo("cache"));
  }
}
