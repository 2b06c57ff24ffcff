package io.railrush.app.infra;

import io.lettuce.core.RedisURI;
import io.railrush.kit.cache.SharedTier;
import io.railrush.kit.redis.RedisConnector;
import java.time.Clock;
import java.time.Duration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * The backends every feature shares: the clock, and the cache's shared tier — in-process in
 * embedded mode, Redis ({@code railrush.shared-tier=redis}, set by the cluster profile) otherwise.
 */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
class InfraConfig {

  @Bean
  @ConditionalOnMissingBean
  Clock clock() {
    return Clock.systemUTC();
  }

  @Bean(destroyMethod = "close")
  @Conditional(UsesRedis.class)
  RedisConnector redisConnector(DataRedisConnectionDetails redis) {
    DataRedisConnectionDetails.Standalone standalone = redis.getStandalone();
    RedisURI.Builder uri =
        RedisURI.builder()
            .withHost(standalone.getHost())
            .withPort(standalone.getPort())
            .withDatabase(standalone.getDatabase());
    if (redis.getPassword() != null) {
      if (redis.getUsername() != null) {
        uri.withAuthentication(redis.getUsername(), redis.getPassword().toCharArray());
      } else {
        uri.withPassword(redis.getPassword().toCharArray());
      }
    }
    return new RedisConnector(uri.build(), Duration.ofMillis(500), Duration.ofSeconds(1));
  }

  @Bean
  SharedTier sharedTier(
      SharedTierProperties properties, ObjectProvider<RedisConnector> redis, Clock clock) {
    return switch (properties.sharedTier()) {
      case IN_PROCESS -> SharedTier.inProcess(clock);
      case REDIS -> SharedTier.redis(redis.getObject());
    };
  }

  /** A Redis client is needed when the shared tier, the locks or the worker ids live there. */
  static final class UsesRedis extends BoundCondition<CoordinationProperties> {
    private final SharedTierProperties.OnRedis sharedTierOnRedis =
        new SharedTierProperties.OnRedis();

    UsesRedis() {
      super("railrush.coordination", CoordinationProperties.class);
    }

    @Override
    public ConditionOutcome getMatchOutcome(
        ConditionContext context, AnnotatedTypeMetadata metadata) {
      ConditionOutcome tier = sharedTierOnRedis.getMatchOutcome(context, metadata);
      return tier.isMatch() ? tier : super.getMatchOutcome(context, metadata);
    }

    @Override
    protected boolean matches(CoordinationProperties properties) {
      return properties.uses(
          CoordinationProperties.LockBackend.REDIS, CoordinationProperties.WorkerIdSource.REDIS);
    }
  }
}
