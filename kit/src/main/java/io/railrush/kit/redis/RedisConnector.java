package io.railrush.kit.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisBusyException;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandInterruptedException;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisLoadingException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.railrush.kit.BackendUnavailableException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * One shared, fail-fast Lettuce connection that may be created after start-up. A node must start
 * and serve while Redis is down: the first connect is attempted lazily (at most once per {@code
 * retryEvery}), and once connected Lettuce reconnects by itself. While disconnected, commands are
 * rejected at once instead of queueing, so callers fall back immediately.
 *
 * <p>This is the kit's Redis boundary: {@link #call} and {@link #run} turn Lettuce's failures of
 * reach (refused or lost connection, command timeout, a server loading, busy or failing over) into
 * {@link RedisUnavailableException}, part of the kit's {@link BackendUnavailableException} family.
 * Error replies that mean a bug (wrong type, bad script, unknown command) stay Lettuce's {@link
 * RedisCommandExecutionException}.
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

  /**
   * Runs {@code command} on the shared connection and returns its answer; Redis unreachable, timed
   * out or unable to serve now is a {@link RedisUnavailableException}.
   */
  public <T> T call(Function<RedisCommands<String, String>, T> command) {
    try {
      return command.apply(sync());
    } catch (RuntimeException e) {
      throw translated(e);
    }
  }

  /** {@link #call} for commands whose answer is not needed. */
  public void run(Consumer<RedisCommands<String, String>> command) {
    try {
      command.accept(sync());
    } catch (RuntimeException e) {
      throw translated(e);
    }
  }

  /**
   * The commands of the shared connection; throws {@link RedisUnavailableException} when Redis
   * cannot be reached now. The commands themselves throw Lettuce's exceptions: prefer {@link
   * #call}, which translates them.
   */
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
    } catch (RedisException e) {
      throw new RedisUnavailableException("Redis at " + uri + " unreachable: " + e.getMessage(), e);
    } finally {
      connecting.unlock();
    }
  }

  /** Error replies of a server that cannot serve now but will (RESP error prefixes). */
  private static final List<String> TRANSIENT_REPLIES =
      List.of("LOADING ", "BUSY ", "MASTERDOWN ", "READONLY ", "TRYAGAIN ", "CLUSTERDOWN ", "OOM ");

  /**
   * {@code e} as the kit reports it: Lettuce's failures of reach become {@link
   * RedisUnavailableException}; error replies that mean a bug, interruptions and anything not from
   * Lettuce stay as they are.
   */
  private RuntimeException translated(RuntimeException e) {
    if (e instanceof BackendUnavailableException || !(e instanceof RedisException)) {
      return e;
    }
    if (e instanceof RedisCommandInterruptedException) {
      return e; // this thread was interrupted: not Redis's doing
    }
    if (e instanceof RedisCommandExecutionException reply
        && !(reply instanceof RedisBusyException)
        && !(reply instanceof RedisLoadingException)
        && !transientReply(reply.getMessage())) {
      return e;
    }
    return new RedisUnavailableException("Redis at " + uri + ": " + e.getMessage(), e);
  }

  private static boolean transientReply(String message) {
    return message != null && TRANSIENT_REPLIES.stream().anyMatch(message::startsWith);
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

  /**
   * Redis could not be reached, did not answer in time, or cannot serve now (backend {@value
   * BackendUnavailableException#REDIS}).
   */
  public static final class RedisUnavailableException extends BackendUnavailableException {
    RedisUnavailableException(String message) {
      super(REDIS, message);
    }

    RedisUnavailableException(String message, Throwable cause) {
      super(REDIS, message, cause);
    }
  }
}
