package io.railrush.kit.id.internal;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.railrush.kit.id.OrderNumberGenerator;
import io.railrush.kit.id.WorkerIdLease;
import io.railrush.kit.redis.RedisConnector;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A worker id leased from Redis: {@code SET worker:<id> token NX PX lease}, renewed every lease/3
 * by compare-and-pexpire. A failed or refused renewal invalidates the id at once; the node then
 * leases a (possibly different) id on the next tick. Each renewal also raises {@code
 * worker:<id>:issued-before} past anything this node may issue before its lease runs out.
 */
public final class RedisWorkerIdLease implements WorkerIdLease {

  private static final String RENEW =
      "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) end return 0";

  private final RedisConnector redis;
  private final String prefix;
  private final Duration lease;
  private final String token = UUID.randomUUID().toString();
  private final ScheduledExecutorService renewer =
      Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("worker-id-lease").factory());
  private volatile int workerId = -1;
  private volatile long validUntilNanos;
  private volatile long issuedBeforeMillis;

  private RedisWorkerIdLease(RedisConnector redis, String prefix, Duration lease) {
    this.redis = redis;
    this.prefix = prefix;
    this.lease = lease;
  }

  /**
   * Leases a free id now if it can, and keeps (or keeps trying to get) one. A node whose Redis is
   * unreachable at start-up still starts: it issues no numbers until the lease succeeds.
   */
  public static RedisWorkerIdLease claim(RedisConnector redis, String prefix, Duration lease) {
    RedisWorkerIdLease claimed = new RedisWorkerIdLease(redis, prefix, lease);
    try {
      claimed.claimAny();
    } catch (RuntimeException unreachable) {
      // the renewer tries again every lease/3
    }
    long period = Math.max(1, lease.toMillis() / 3);
    claimed.renewer.scheduleWithFixedDelay(claimed::renewOrReclaim, period, period, TimeUnit.MILLISECONDS);
    return claimed;
  }

  private String key(int id) {
    return prefix + "worker:" + id;
  }

  private boolean claimAny() {
    int ids = OrderNumberGenerator.MAX_WORKER_ID + 1;
    int start = ThreadLocalRandom.current().nextInt(ids);
    for (int i = 0; i < ids; i++) {
      int id = (start + i) % ids;
      long sentAt = System.nanoTime();
      if ("OK".equals(redis.sync().set(key(id), token, SetArgs.Builder.nx().px(lease.toMillis())))) {
        String previous = redis.sync().get(key(id) + ":issued-before");
        issuedBeforeMillis = previous == null ? 0 : Long.parseLong(previous);
        raiseIssuedBefore(id);
        workerId = id;
        validUntilNanos = sentAt + lease.toNanos();
        return true;
      }
    }
    return false;
  }

  private void raiseIssuedBefore(int id) {
    // after a takeover we issue from the previous bound on, so our bound starts from there too
    long bound = Math.max(System.currentTimeMillis(), issuedBeforeMillis) + lease.toMillis() + 1_000;
    redis.sync().set(key(id) + ":issued-before", Long.toString(bound));
  }

  private void renewOrReclaim() {
    try {
      int id = workerId;
      if (id >= 0) {
        long sentAt = System.nanoTime();
        Long renewed =
            redis.sync().eval(RENEW, ScriptOutputType.INTEGER, new String[] {key(id)}, token, Long.toString(lease.toMillis()));
        if (renewed != null && renewed == 1) {
          raiseIssuedBefore(id);
          validUntilNanos = sentAt + lease.toNanos();
          return;
        }
        workerId = -1; // someone else has it now: stop at once
        validUntilNanos = 0;
      }
      claimAny();
    } catch (RuntimeException unreachable) {
      // validity runs out by itself; try again next tick
    }
  }

  @Override
  public int workerId() {
    int id = workerId;
    if (id < 0) {
      throw new io.railrush.kit.id.WorkerIdLostException("no worker id leased");
    }
    return id;
  }

  @Override
  public boolean isValid() {
    return workerId >= 0 && System.nanoTime() - validUntilNanos < 0;
  }

  @Override
  public long issuedBeforeMillis() {
    return issuedBeforeMillis;
  }

  @Override
  public void close() {
    renewer.shutdownNow();
    int id = workerId;
    workerId = -1;
    if (id >= 0) {
      try {
        redis.sync().eval("if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0",
            ScriptOutputType.INTEGER, new String[] {key(id)}, token);
      } catch (RuntimeException unreachable) {
        // the lease frees it
      }
    }
  }
}
