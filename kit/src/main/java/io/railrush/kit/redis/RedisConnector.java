package io.railrush.kit.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One shared, fail-fast Lettuce connection that may be created after start-up. A node must start
 * and serve while Redis is down: the first connect is attempted lazily (at most once per {@code
 * retryEvery}), and once connected Lettuce reconnects by itself. While disconnected, commands are
 * rejected at once instead of queueing, so callers fall back immediately.
 */
public final class RedisConnector implements AutoCloseable {

  private final RedisClient client;
  private final RedisURI uri;
  private final long retryEveryNanos;
  private final ReentrantLock connecting = new ReentrantLock();
  private volatile StatefulRedisConnection<String, String> connection;
  private volatile long nextAttemptNanos;

  public RedisConnector(RedisURI uri, Duration commandTimeout, Duration retryEvery) {
    this.uri = uri;
    this.uri.setTimeout(commandTimeout);
    this.retryEveryNanos = retryEvery.toNanos();
    this.client = RedisClient.create();
    client.setOptions(
        ClientOptions.builder()
            .autoReconnect(true)
            .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
            .timeoutOptions(TimeoutOptions.enabled(commandTimeout))
            .build());
  }

  public static RedisConnector of(String redisUrl) {
    return new RedisConnector(
        RedisURI.create(redisUrl), Duration.ofMillis(500), Duration.ofSeconds(1));
  }

  /** The commands of the shared connection; throws when Redis cannot be reached now. */
  public RedisCommands<String, String> sync() {
    StatefulRedisConnection<String, String> current = connection;
    if (current != null) {
      return current.sync();
    }
    return connect().sync();
  }

  public boolean connected() {
    StatefulRedisConnection<String, String> current = connection;
    return current != null && current.isOpen();
  }

  private StatefulRedisConnection<String, String> connect() {
    connecting.lock();
    try {
      if (connection != null) {
        return connection;
      }
      long now = System.nanoTime();
      if (now < nextAttemptNanos) {
        throw new RedisUnavailableException("Redis at " + uri + " unreachable; next attempt soon");
      }
      nextAttemptNanos = now + retryEveryNanos;
      connection = client.connect(uri);
      return connection;
    } catch (RuntimeException e) {
      if (e instanceof RedisUnavailableException) {
        throw e;
      }
      throw new RedisUnavailableException("Redis at " + uri + " unreachable: " + e.getMessage(), e);
    } finally {
      connecting.unlock();
    }
  }

  @Override
  public void close() {
    StatefulRedisConnection<String, String> current = connection;
    if (current != null) {
      current.close();
    }
    try {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    } catch (RuntimeException slowShutdown) {
      // event loops that take longer to stop are daemon threads; nothing is left to release
    }
  }

  /** Redis could not be reached. */
  public static final class RedisUnavailableException extends RuntimeException {
    RedisUnavailableException(String message) {
      super(message);
    }

    RedisUnavailableException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
