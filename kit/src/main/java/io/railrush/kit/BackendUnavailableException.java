package io.railrush.kit;

import java.util.Objects;

/**
 * The backend named by {@link #backend()} could not be reached or did not answer in time (refused
 * connection, lost session, command timeout, a server still loading or failing over), so the
 * operation's outcome is unknown or it was not attempted. Callers may degrade (answer from a copy,
 * skip an optional step) or retry later; every other exception from the kit is a bug or a misuse
 * and should surface as one.
 *
 * <p>The kit translates its client libraries' failures (Lettuce, JDBC, Curator/ZooKeeper) into this
 * family at each backend's boundary; the subclasses say which kit service failed: {@link
 * io.railrush.kit.redis.RedisConnector.RedisUnavailableException}, {@link
 * io.railrush.kit.lock.LockUnavailableException}, {@link io.railrush.kit.id.WorkerIdLostException},
 * {@link io.railrush.kit.cache.CacheUnavailableException}.
 */
public class BackendUnavailableException extends RuntimeException {

  public static final String REDIS = "redis";
  public static final String ZOOKEEPER = "zookeeper";
  public static final String DATABASE = "database";

  /** No value could be produced in time: the source failed or was too slow, nothing was cached. */
  public static final String CACHE = "cache";

  private final String backend;

  public BackendUnavailableException(String backend, String message) {
    super(message);
    this.backend = Objects.requireNonNull(backend, "backend");
  }

  public BackendUnavailableException(String backend, String message, Throwable cause) {
    super(message, cause);
    this.backend = Objects.requireNonNull(backend, "backend");
  }

  /**
   * Which backend: {@value #REDIS}, {@value #ZOOKEEPER}, {@value #DATABASE}, {@value #CACHE} (or
   * the name a lease or lock service outside the kit gives itself).
   */
  public String backend() {
    return backend;
  }
}
