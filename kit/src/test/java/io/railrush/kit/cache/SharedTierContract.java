package io.railrush.kit.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** What every {@link SharedTier} must do; one small subclass per backend says how to make it. */
abstract class SharedTierContract {

  protected abstract SharedTier tier();

  protected abstract String prefix();

  @Test
  void storesTextUntilItsTtl() {
    String key = prefix() + "k";
    tier().put(key, "v1;payload", Duration.ofMillis(300));
    assertThat(tier().get(key)).isEqualTo("v1;payload");
    assertThat(tier().ttlMillis(key).orElseThrow()).isBetween(1L, 300L);
    Awaitility.await().atMost(Duration.ofSeconds(3)).until(() -> tier().get(key) == null);
    assertThat(tier().ttlMillis(key)).isEmpty();
  }

  @Test
  void deleteRemoves() {
    String key = prefix() + "d";
    tier().put(key, "x", Duration.ofSeconds(30));
    tier().delete(key);
    assertThat(tier().get(key)).isNull();
  }

  @Test
  void existingTellsWhichKeysAreStoredInOneCall() {
    tier().put(prefix() + "e1", "x", Duration.ofSeconds(30));
    tier().put(prefix() + "e3", "y", Duration.ofSeconds(30));
    assertThat(
            tier().existing(java.util.List.of(prefix() + "e1", prefix() + "e2", prefix() + "e3")))
        .containsExactlyInAnyOrder(prefix() + "e1", prefix() + "e3");
    assertThat(tier().existing(java.util.List.of())).isEmpty();
  }
}
