package io.railrush.app.infra;

import io.railrush.kit.lock.LockHandle;
import io.railrush.kit.lock.LockService;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * One sweeper round per cluster at a time: a node with the sweeper role runs a round only while it
 * holds the round's lock (the lock kit: lease, watchdog, fencing). Rounds are idempotent, so a node
 * that loses the lock mid-round (it checks {@link LockHandle#isHeld()} between items) stops early
 * and the next holder finishes.
 */
@Component
public class SweeperTurns {

  private static final Logger log = LoggerFactory.getLogger(SweeperTurns.class);

  private final LockService locks;
  private final Roles roles;

  SweeperTurns(LockService locks, Roles roles) {
    this.locks = locks;
    this.roles = roles;
  }

  /** Runs {@code round} if this node sweeps and no other node is running the same round now. */
  public void runIfLeader(String name, Consumer<LockHandle> round) {
    if (!roles.has(Roles.Role.SWEEPER)) {
      return;
    }
    Optional<LockHandle> leader = locks.tryAcquire(name, Duration.ZERO, Duration.ofSeconds(30));
    if (leader.isEmpty()) {
      return;
    }
    try (LockHandle held = leader.get()) {
      round.accept(held);
    } catch (RuntimeException e) {
      log.warn("{} stopped: {}", name, e.toString());
    }
  }
}
