package io.railrush.app.catalog;

import io.railrush.app.infra.SharedTierProperties;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;

/**
 * A run created on one node reaches every node's filter of known ids (缓存穿透) at once, not at their
 * next rebuild: the creating node publishes the run id on a Redis channel of the shared tier, and
 * every node adds what it hears. Fire and forget — a node that misses a message (it was
 * reconnecting) admits the run at its next rebuild ({@code railrush.catalog.known-ids-refresh}).
 */
@Configuration(proxyBeanMethods = false)
@Conditional(SharedTierProperties.OnRedis.class)
class RunCreatedBroadcast {

  private static final Logger log = LoggerFactory.getLogger(RunCreatedBroadcast.class);

  private static String channel(QueryCacheProperties cache) {
    return Objects.requireNonNullElse(cache.keyPrefix(), "railrush:") + "catalog:run-created";
  }

  @Bean
  RedisMessageListenerContainer runCreatedListener(
      RedisConnectionFactory redis, KnownRunIds knownIds, QueryCacheProperties cache) {
    RedisMessageListenerContainer container = new RedisMessageListenerContainer();
    container.setConnectionFactory(redis);
    container.addMessageListener(
        (message, pattern) -> knownIds.add(new String(message.getBody(), StandardCharsets.UTF_8)),
        new ChannelTopic(channel(cache)));
    container.setAutoStartup(false); // started by runCreatedListenerStarter
    return container;
  }

  /**
   * Starts the listener, retrying every 5 s while Redis is away. Hand-written because the container
   * refuses to start without Redis (by design, spring-data-redis#2334), and a node must start and
   * answer without Redis; on its own thread, so no scheduled job waits for Redis meanwhile.
   */
  @Bean
  SmartLifecycle runCreatedListenerStarter(RedisMessageListenerContainer runCreatedListener) {
    return new SmartLifecycle() {
      private volatile Thread starter;

      @Override
      public void start() {
        starter =
            Thread.ofPlatform()
                .daemon()
                .name("run-created-listener-start")
                .start(
                    () -> {
                      // the container counts as started even when its first subscription failed,
                      // and then never subscribes again: stop it and start it anew until it listens
                      while (!runCreatedListener.isListening()) {
                        try {
                          runCreatedListener.start();
                        } catch (RuntimeException redisAway) {
                          log.debug("run announcements not heard yet: {}", redisAway.toString());
                        }
                        if (runCreatedListener.isListening()) {
                          return;
                        }
                        runCreatedListener.stop();
                        try {
                          Thread.sleep(5_000);
                        } catch (InterruptedException stopping) {
                          return;
                        }
                      }
                    });
      }

      @Override
      public void stop() {
        Thread current = starter;
        if (current != null) {
          current.interrupt();
        }
        starter = null;
        runCreatedListener.stop();
      }

      @Override
      public boolean isRunning() {
        return starter != null;
      }
    };
  }

  @Bean
  RunAnnouncer redisRunAnnouncer(StringRedisTemplate redis, QueryCacheProperties cache) {
    String channel = channel(cache);
    return runId -> {
      try {
        redis.convertAndSend(channel, runId);
      } catch (RuntimeException unreachable) {
        log.warn(
            "run {} not announced; the other nodes admit it at their next rebuild: {}",
            runId,
            unreachable.toString());
      }
    };
  }

  /** Tells the other nodes that a run now exists. */
  interface RunAnnouncer {
    void runCreated(String runId);
  }
}
