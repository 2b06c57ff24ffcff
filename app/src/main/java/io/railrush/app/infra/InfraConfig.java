package io.railrush.app.infra;

import io.lettuce.core.RedisURI;
import io.railrush.kit.cache.SharedTier;
import io.railrush.kit.redis.RedisConnector;
import java.time.Clock;
import java.time.Duration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
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
  @ConditionalOnExpression(
      "'${railrush.shared-tier:in-process}' == 'redis' or '${railrush.coordination.locks:in-process}' == 'redis'"
          + " or '${railrush.coordination.worker-ids:fixed}' == 'redis'")
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
  @ConditionalOnProperty(name = "railrush.shared-tier", havingValue = "redis")
  SharedTier redisSharedTier(RedisConnector redis) {
    return SharedTier.redis(redis);
  }

  @Bean
  @ConditionalOnMissingBean(SharedTier.class)
  SharedTier inProcessSharedTier(Clock clock) {
    return SharedTier.inProcess(clock);
  }
}
