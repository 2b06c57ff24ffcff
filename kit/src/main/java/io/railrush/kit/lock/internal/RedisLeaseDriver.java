package io.railrush.kit.lock.internal;

import io.lettuce.core.ScriptOutputType;
import io.railrush.kit.redis.RedisConnector;
import java.time.Duration;
import java.util.OptionalLong;

/**
 * {@code SET key owner NX PX lease}, the fencing token from a per-lock record in the same script,
 * renewal and release by compare-and-act: never someone else's lock. Both keys share a hash tag so
 * the scripts also run on Redis Cluster.
 *
 * <p>Fencing tokens come from the Redis server's clock (microseconds), raised past the lock's last
 * token when the clock has not moved on: strictly increasing grant after grant. That lets the
 * record of the last token expire ({@code fenceMemory} after the last grant) — a lock per payment
 * would otherwise leave one key behind per payment for ever — because the next token, taken from
 * the clock, is still higher than every token before it.
 */
public final class RedisLeaseDriver implements LeaseDriver {

  /** How long a lock's last token is remembered after its last grant. */
  private static final Duration FENCE_MEMORY = Duration.ofDays(1);

  private static final String GRANT =
      "if not redis.call('set', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return -1 end "
          + "local clock = redis.call('time') "
          + "local fence = tonumber(clock[1]) * 1000000 + tonumber(clock[2]) "
          + "local last = tonumber(redis.call('get', KEYS[2]) or '0') "
          + "if fence <= last then fence = last + 1 end "
          + "redis.call('set', KEYS[2], string.format('%d', fence), 'PX', ARGV[3]) "
          + "return fence";
  private static final String RENEW =
      "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) end return 0";
  private static final String RELEASE =
      "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0";

  private final RedisConnector redis;
  private final String prefix;
  private final Duration fenceMemory;

  public RedisLeaseDriver(RedisConnector redis, String prefix) {
    this(redis, prefix, FENCE_MEMORY);
  }

  public RedisLeaseDriver(RedisConnector redis, String prefix, Duration fenceMemory) {
    this.redis = redis;
    this.prefix = prefix;
    this.fenceMemory = fenceMemory;
  }

  private String[] keys(String name) {
    String tagged = prefix + "{" + name + "}";
    return new String[] {tagged, tagged + ":fence"};
  }

  @Override
  public OptionalLong tryGrant(String name, String owner, Duration lease) {
    Long fence =
        redis.call(
            r ->
                r.eval(
                    GRANT,
                    ScriptOutputType.INTEGER,
                    keys(name),
                    owner,
                    Long.toString(lease.toMillis()),
                    Long.toString(fenceMemory.toMillis())));
    return fence != null && fence > 0 ? OptionalLong.of(fence) : OptionalLong.empty();
  }

  @Override
  public boolean renew(String name, String owner, long fence, Duration lease) {
    Long renewed =
        redis.call(
            r ->
                r.eval(
                    RENEW,
                    ScriptOutputType.INTEGER,
                    new String[] {keys(name)[0]},
                    owner,
                    Long.toString(lease.toMillis())));
    return renewed != null && renewed == 1;
  }

  @Override
  public void release(String name, String owner, long fence) {
    redis.run(r -> r.eval(RELEASE, ScriptOutputType.INTEGER, new String[] {keys(name)[0]}, owner));
  }
}
