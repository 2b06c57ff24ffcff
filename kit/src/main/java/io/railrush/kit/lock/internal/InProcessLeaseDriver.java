package io.railrush.kit.lock.internal;

import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;

/** Leases in this JVM's memory (embedded mode): the same semantics as the distributed drivers. */
public final class InProcessLeaseDriver implements LeaseDriver {

  private record Grant(String owner, long fence, long untilNanos) {}

  private record State(Grant grant, long lastFence) {}

  private final ConcurrentHashMap<String, State> locks = new ConcurrentHashMap<>();

  @Override
  public OptionalLong tryGrant(String name, String owner, Duration lease) {
    long now = System.nanoTime();
    State after =
        locks.compute(
            name,
            (n, state) -> {
              long lastFence = state == null ? 0 : state.lastFence();
              if (state != null && state.grant() != null && state.grant().untilNanos() - now > 0) {
                return state;
              }
              return new State(new Grant(owner, lastFence + 1, now + lease.toNanos()), lastFence + 1);
            });
    return owner.equals(after.grant().owner()) ? OptionalLong.of(after.grant().fence()) : OptionalLong.empty();
  }

  @Override
  public boolean renew(String name, String owner, long fence, Duration lease) {
    long now = System.nanoTime();
    State after =
        locks.computeIfPresent(
            name,
            (n, state) ->
                mine(state, owner, now)
                    ? new State(new Grant(owner, fence, now + lease.toNanos()), state.lastFence())
                    : state);
    return after != null && mine(after, owner, now);
  }

  @Override
  public void release(String name, String owner, long fence) {
    locks.computeIfPresent(
        name, (n, state) -> mine(state, owner, System.nanoTime()) ? new State(null, state.lastFence()) : state);
  }

  private static boolean mine(State state, String owner, long now) {
    return state.grant() != null && state.grant().owner().equals(owner) && state.grant().untilNanos() - now > 0;
  }
}
