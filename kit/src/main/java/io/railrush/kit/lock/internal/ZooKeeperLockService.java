package io.railrush.kit.lock.internal;

import io.railrush.kit.BackendUnavailableException;
import io.railrush.kit.internal.ZooKeeperFailures;
import io.railrush.kit.lock.LockHandle;
import io.railrush.kit.lock.LockService;
import io.railrush.kit.lock.LockUnavailableException;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.locks.InterProcessMutex;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.zookeeper.KeeperException;

/**
 * Locks on ZooKeeper through Curator's {@link InterProcessMutex}: an ephemeral sequential node per
 * waiter, each waiter watching only its predecessor (no herd effect, 惊群效应). The node's sequence
 * number is the fencing token. The lease is the ZooKeeper session: while the connection is
 * SUSPENDED no handle is trusted; on LOST every handle is gone; on RECONNECTED a handle is trusted
 * again only if its node still exists.
 *
 * <p>ZooKeeper unreachable (connection loss after Curator's retries, session expiry, timeouts) is a
 * {@link LockUnavailableException} with backend {@value BackendUnavailableException#ZOOKEEPER}.
 */
public final class ZooKeeperLockService implements LockService {

  private final CuratorFramework client;
  private final String basePath;
  private final Set<Handle> handles = ConcurrentHashMap.newKeySet();
  private final Set<String> preparedPaths = ConcurrentHashMap.newKeySet();
  private volatile boolean connected = true;

  public ZooKeeperLockService(CuratorFramework client, String basePath) {
    this.client = client;
    this.basePath =
        basePath.endsWith("/") ? basePath.substring(0, basePath.length() - 1) : basePath;
    client.getConnectionStateListenable().addListener((c, state) -> onStateChange(state));
  }

  private void onStateChange(ConnectionState state) {
    switch (state) {
      case SUSPENDED -> connected = false;
      case LOST -> {
        connected = false;
        handles.forEach(h -> h.lost = true);
      }
      case CONNECTED, RECONNECTED -> {
        handles.forEach(Handle::checkNodeStillExists);
        connected = true;
      }
      default -> {}
    }
  }

  /** A mutex that tells which node it holds (Curator keeps the path protected). */
  private static final class FencedMutex extends InterProcessMutex {
    FencedMutex(CuratorFramework client, String path) {
      super(client, path);
    }

    String heldPath() {
      return getLockPath();
    }
  }

  @Override
  public Optional<LockHandle> tryAcquire(
      String name, Duration wait, Duration lease, Renewal renewal) {
    String path = basePath + "/" + name;
    try {
      preparePersistentParent(path);
      FencedMutex mutex = new FencedMutex(client, path);
      if (!mutex.acquire(wait.toMillis(), TimeUnit.MILLISECONDS)) {
        return Optional.empty();
      }
      String node = mutex.heldPath();
      Handle handle = new Handle(name, node, sequenceOf(node));
      handles.add(handle);
      return Optional.of(handle);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    } catch (Exception e) {
      if (ZooKeeperFailures.unreachable(e)) {
        throw new LockUnavailableException(
            BackendUnavailableException.ZOOKEEPER,
            "zookeeper lock " + name + ": " + e.getMessage(),
            e);
      }
      if (e instanceof RuntimeException misuse) {
        throw misuse; // a bad lock name, a client not started
      }
      // refused for what was asked (no auth, bad arguments): configuration, not availability
      throw new IllegalStateException("zookeeper lock " + name + ": " + e.getMessage(), e);
    }
  }

  /**
   * Curator creates missing parents as container nodes, which ZooKeeper deletes once empty — and a
   * re-created parent restarts its sequence at 0, which would send fencing tokens backwards. A
   * persistent parent keeps the counter for the life of the lock name.
   */
  private void preparePersistentParent(String path) throws Exception {
    if (preparedPaths.contains(path)) {
      return;
    }
    try {
      client.create().creatingParentsIfNeeded().forPath(path);
    } catch (KeeperException.NodeExistsException alreadyThere) {
      // fine
    }
    preparedPaths.add(path);
  }

  /** ZooKeeper numbers children from 0; tokens start at 1 so 0 can mean "never granted". */
  private static long sequenceOf(String node) {
    return Long.parseLong(node.substring(node.length() - 10)) + 1;
  }

  private final class Handle implements LockHandle {
    private final String name;
    private final String node;
    private final long fence;
    private volatile boolean released;
    private volatile boolean lost;

    Handle(String name, String node, long fence) {
      this.name = name;
      this.node = node;
      this.fence = fence;
    }

    void checkNodeStillExists() {
      try {
        if (client.checkExists().forPath(node) == null) {
          lost = true;
        }
      } catch (Exception e) {
        lost = true;
      }
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public long fencingToken() {
      return fence;
    }

    @Override
    public boolean isHeld() {
      return !released && !lost && connected;
    }

    @Override
    public Duration remainingLease() {
      if (!isHeld()) {
        return Duration.ZERO;
      }
      try {
        return Duration.ofMillis(client.getZookeeperClient().getZooKeeper().getSessionTimeout());
      } catch (Exception e) {
        return Duration.ZERO;
      }
    }

    /**
     * Deletes our node with Curator's guaranteed delete in the background: it returns at once and
     * is retried when the connection comes back (a plain release() during connection loss blocks
     * through the retry policy, then leaves the node, and the lock, behind until the session ends).
     * Works from any thread, unlike the mutex itself.
     */
    @Override
    public void release() {
      if (released) {
        return;
      }
      released = true;
      handles.remove(this);
      try {
        client.delete().guaranteed().inBackground().forPath(node);
      } catch (Exception e) {
        // guaranteed delete goes on when the connection is back
      }
    }

    @Override
    public String toString() {
      return "zookeeper lock " + name + " #" + fence;
    }
  }
}
