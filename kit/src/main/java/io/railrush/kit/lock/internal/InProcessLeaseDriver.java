package io.railrush.kit.lock.internal;

import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** Leases in this JVM's memory (embedded mode): the same semantics as the distributed drivers. */
public final class InProcessLeaseDriver implements LeaseDriver {

  private record Grant(String owner, long fence, long untilNanos) {}

  // one counter for every name: tokens still strictly increase per name, and a released name
  // leaves nothing behind (the cache takes one lock name per key)
  private final AtomicLong fences = new AtomicLong();
  private final ConcurrentHashMap<String, Grant> locks = new ConcurrentHashMap<>();

  @Override
  public OptionalLong tryGrant(String name, String owner, Duration lease) {
    long now = System.nanoTime();
    Grant after =
        locks.compute(
            name,
            (n, held) ->
                held != null && held.untilNanos() - now > 0
                    ? held
                    : new Grant(owner, fences.incrementAndGet(), now + lease.toNanos()));
    return owner.equals(after.owner()) ? OptionalLong.of(after.fence()) : OptionalLong.empty();
  }

  @Override
  public boolean renew(String name, String owner, long fence, Duration lease) {
    long now = System.nanoTime();
    Grant after =
        locks.computeIfPresent(
            name,
            (n, held) ->
                mine(held, owner, now) ? new Grant(owner, fence, now + lease.toNanos()) : held);
    return after != null && mine(after, owner, now);
  }

  @Override
  public void release(String name, String owner, long fence) {
    locks.computeIfPresent(name, (n, held) -> held.owner().equals(owner) ? null : held);
  }

  private static boolean mine(Grant held, String owner, long now) {
    return held.owner().equals(owner) && held.untilNanos() - now > 0;
  }
}
