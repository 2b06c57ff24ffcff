package io.railrush.kit.limit.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.railrush.kit.limit.Permit;
import io.railrush.kit.limit.RateLimits;
import java.time.Duration;

/**
 * Limits in this JVM (embedded mode): Caffeine entries that expire with their window; Bucket4j
 * buckets.
 */
public final class InProcessRateLimits implements RateLimits {

  private record Window(long untilNanos, long lengthNanos) {}

  private final Cache<String, Window> windows =
      Caffeine.newBuilder()
          .expireAfter(
              new Expiry<String, Window>() {
                @Override
                public long expireAfterCreate(String key, Window w, long now) {
                  return w.lengthNanos();
                }

                @Override
                public long expireAfterUpdate(String key, Window w, long now, long current) {
                  return w
                      .lengthNanos(); // a window replaced after expiry lives a full window again
                }

                @Override
                public long expireAfterRead(String key, Window w, long now, long current) {
                  return current;
                }
              })
          .build();

  private final Cache<String, Bucket> buckets =
      Caffeine.newBuilder().expireAfterAccess(Duration.ofHours(1)).build();

  @Override
  public Permit oncePer(String key, Duration window) {
    long now = System.nanoTime();
    Window mine = new Window(now + window.toNanos(), window.toNanos());
    Window current = windows.asMap().putIfAbsent(key, mine);
    if (current == null) {
      return Permit.GRANTED;
    }
    if (current.untilNanos() - now <= 0 && windows.asMap().replace(key, current, mine)) {
      return Permit.GRANTED; // expired but not yet evicted
    }
    long left =
        current.untilNanos() - System.nanoTime(); // read after the window's creator read the clock
    return Permit.refused(Duration.ofNanos(Math.min(current.lengthNanos(), Math.max(0, left))));
  }

  @Override
  public void endWindow(String key) {
    windows.invalidate(key);
  }

  private static long refillTokens(double perSecond) {
    return perSecond >= 1 ? Math.round(perSecond) : 1;
  }

  private static Duration refillPeriod(double perSecond) {
    return perSecond >= 1 ? Duration.ofSeconds(1) : Duration.ofNanos((long) (1e9 / perSecond));
  }

  @Override
  public Permit takeToken(String key, long capacity, double refillPerSecond) {
    Bucket bucket =
        buckets.get(
            key,
            k ->
                Bucket.builder()
                    .addLimit(
                        Bandwidth.builder()
                            .capacity(capacity)
                            .refillGreedy(
                                refillTokens(refillPerSecond), refillPeriod(refillPerSecond))
                            .build())
                    .build());
    ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
    return probe.isConsumed()
        ? Permit.GRANTED
        : Permit.refused(Duration.ofNanos(probe.getNanosToWaitForRefill()));
  }
}
