package io.railrush.kit.id.internal;

import io.railrush.kit.BackendUnavailableException;
import io.railrush.kit.id.OrderNumberGenerator;
import io.railrush.kit.id.WorkerIdLease;
import io.railrush.kit.id.WorkerIdLostException;
import io.railrush.kit.lock.internal.RedisLeaseDriver;
import io.railrush.kit.redis.RedisConnector;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A worker id leased from Redis: {@code SET worker:{<id>} token NX PX lease} (the lock kit's {@link
 * RedisLeaseDriver}), renewed every lease/3 by compare-and-pexpire. A failed or refused renewal
 * invalidates the id at once; the node then leases a (possibly different) id on the next tick. Each
 * renewal also raises {@code worker:<id>:issued-before} past anything this node may issue before
 * its lease runs out. An id leased without that record starts one lease ahead of the clock: after a
 * Redis flush the previous holder may go on issuing under the same id until its next renewal fails.
 */
public final class RedisWorkerIdLease implements WorkerIdLease {

  private final RedisConnector redis;
  private final RedisLeaseDriver leases; // the lock kit's SET NX PX and compare-and-act scripts
  private final String prefix;
  private final Duration lease;
  private final String token = UUID.randomUUID().toString();
  private final ScheduledExecutorService renewer =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().daemon().name("worker-id-lease").factory());
  private volatile int workerId = -1;
  private volatile long validUntilNanos;
  private volatile long issuedBeforeMillis;

  private RedisWorkerIdLease(RedisConnector redis, String prefix, Duration lease) {
    this.redis = redis;
    this.leases = new RedisLeaseDriver(redis, prefix + "worker:");
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
    claimed.renewer.scheduleWithFixedDelay(
        claimed::renewOrReclaim, period, period, TimeUnit.MILLISECONDS);
    return claimed;
  }

  private String issuedBeforeKey(int id) {
    return prefix + "worker:" + id + ":issued-before";
  }

  private boolean claimAny() {
    int ids = OrderNumberGenerator.MAX_WORKER_ID + 1;
    int start = ThreadLocalRandom.current().nextInt(ids);
    for (int i = 0; i < ids; i++) {
      int id = (start + i) % ids;
      long sentAt = System.nanoTime();
      if (leases.tryGrant(Integer.toString(id), token, lease).isPresent()) {
        String previous = redis.call(r -> r.get(issuedBeforeKey(id)));
        // no record (a new id, or Redis lost its data): a holder that has not noticed the loss
        // may issue for up to one lease more, so start after that, never from "now"
        issuedBeforeMillis =
            previous == null
                ? System.currentTimeMillis() + lease.toMillis()
                : Long.parseLong(previous);
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
    long bound =
        Math.max(System.currentTimeMillis(), issuedBeforeMillis) + lease.toMillis() + 1_000;
    redis.run(r -> r.set(issuedBeforeKey(id), Long.toString(bound)));
  }

  private void renewOrReclaim() {
    try {
      int id = workerId;
      if (id >= 0) {
        long sentAt = System.nanoTime();
        if (leases.renew(Integer.toString(id), token, 0, lease)) {
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
      throw new WorkerIdLostException(backend(), "no worker id leased from Redis");
    }
    return id;
  }

  @Override
  public String backend() {
    return BackendUnavailableException.REDIS;
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
        leases.release(Integer.toString(id), token, 0);
      } catch (RuntimeException unreachable) {
        // the lease frees it
      }
    }
  }
}
