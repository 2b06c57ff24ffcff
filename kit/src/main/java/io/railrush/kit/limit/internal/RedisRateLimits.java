package io.railrush.kit.limit.internal;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.railrush.kit.limit.Permit;
import io.railrush.kit.limit.RateLimits;
import io.railrush.kit.redis.RedisConnector;
import java.time.Duration;
import java.util.List;

/**
 * Limits in Redis (7.0 or newer: the window is one {@code SET NX GET}). The token bucket is one Lua
 * script per call (refill by elapsed time on Redis's own clock, then take), not Bucket4j's Redis
 * backend: its compare-and-swap retry loop collapses on a single hot key (bucket4j issues #404,
 * #407, #603), and one run on sale is exactly that key.
 */
public final class RedisRateLimits implements RateLimits {

  // KEYS[1] bucket hash; ARGV capacity, refill per second. Returns {granted 0/1, wait ms}.
  private static final String TAKE_TOKEN =
      """
      local capacity = tonumber(ARGV[1])
      local rate = tonumber(ARGV[2])
      local t = redis.call('TIME')
      local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
      local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
      local tokens = tonumber(state[1])
      local at = tonumber(state[2])
      if tokens == nil then tokens = capacity; at = now end
      tokens = math.min(capacity, tokens + (now - at) * rate / 1000)
      local granted = 0
      local wait = 0
      if tokens >= 1 then
        tokens = tokens - 1
        granted = 1
      else
        wait = math.ceil((1 - tokens) * 1000 / rate)
      end
      redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', now)
      redis.call('PEXPIRE', KEYS[1], math.ceil(capacity * 1000 / rate) + 1000)
      return {granted, wait}
      """;

  private final RedisConnector redis;
  private final String prefix;

  public RedisRateLimits(RedisConnector redis, String prefix) {
    this.redis = redis;
    this.prefix = prefix;
  }

  @Override
  public Permit oncePer(String key, Duration window) {
    // one round trip either way: SET NX GET (Redis 7+) answers the window's end when it is taken
    long until = System.currentTimeMillis() + window.toMillis();
    String previous =
        redis.call(
            r ->
                r.setGet(
                    prefix + "once:" + key,
                    Long.toString(until),
                    SetArgs.Builder.nx().px(window.toMillis())));
    if (previous == null) {
      return Permit.GRANTED;
    }
    long left = Long.parseLong(previous) - System.currentTimeMillis();
    return Permit.refused(Duration.ofMillis(Math.min(window.toMillis(), Math.max(0, left))));
  }

  @Override
  public void endWindow(String key) {
    redis.run(r -> r.del(prefix + "once:" + key));
  }

  @Override
  public Permit takeToken(String key, long capacity, double refillPerSecond) {
    List<Long> answer =
        redis.call(
            r ->
                r.eval(
                    TAKE_TOKEN,
                    ScriptOutputType.MULTI,
                    new String[] {prefix + "bucket:" + key},
                    Long.toString(capacity),
                    Double.toString(refillPerSecond)));
    return answer.get(0) == 1 ? Permit.GRANTED : Permit.refused(Duration.ofMillis(answer.get(1)));
  }
}
