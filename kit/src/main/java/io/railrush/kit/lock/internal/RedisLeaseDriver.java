package io.railrush.kit.lock.internal;

import io.lettuce.core.ScriptOutputType;
import io.railrush.kit.redis.RedisConnector;
import java.time.Duration;
import java.util.OptionalLong;

/**
 * {@code SET key owner NX PX lease}, the fencing token from {@code INCR} of a per-lock counter in
 * the same script, renewal and release by compare-and-act: never someone else's lock. Both keys
 * share a hash tag so the scripts also run on Redis Cluster.
 */
public final class RedisLeaseDriver implements LeaseDriver {

  private static final String GRANT =
      "if redis.call('set', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then "
          + "return redis.call('incr', KEYS[2]) end return -1";
  private static final String RENEW =
      "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) end return 0";
  private static final String RELEASE =
      "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0";

  private final RedisConnector redis;
  private final String prefix;

  public RedisLeaseDriver(RedisConnector redis, String prefix) {
    this.redis = redis;
    this.prefix = prefix;
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
                    Long.toString(lease.toMillis())));
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
