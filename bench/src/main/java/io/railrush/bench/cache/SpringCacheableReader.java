package io.railrush.bench.cache;

import com.github.benmanes.caffeine.cache.Caffeine;
import io.lettuce.core.RedisURI;
import java.time.Duration;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.cache.caffeine.CaffeineCacheManager;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.data.redis.cache.RedisCacheConfiguration;
import org.springframework.data.redis.cache.RedisCacheManager;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * The Spring way: {@code @Cacheable(sync = true)} on Caffeine in front of {@code @Cacheable(sync =
 * true)} on Redis. {@code sync} coalesces loads inside one JVM only; each node is its own Spring
 * context.
 */
final class SpringCacheableReader implements StockReader {

  record Settings(String redisUrl, SlowSource source, String prefix, Duration ttl) {}

  private final AnnotationConfigApplicationContext context;
  private final LocalLevel local;

  SpringCacheableReader(Settings settings) {
    context = new AnnotationConfigApplicationContext();
    context.registerBean(Settings.class, () -> settings);
    context.register(Config.class);
    context.refresh();
    local = context.getBean(LocalLevel.class);
  }

  @Override
  public long remaining(String runId) {
    return local.remaining(runId);
  }

  @Override
  public void close() {
    context.close();
  }

  @Configuration(proxyBeanMethods = false)
  @EnableCaching
  static class Config {

    @Bean
    LettuceConnectionFactory redisConnectionFactory(Settings settings) {
      RedisURI uri = RedisURI.create(settings.redisUrl());
      return new LettuceConnectionFactory(
          new RedisStandaloneConfiguration(uri.getHost(), uri.getPort()));
    }

    @Bean
    @Primary
    CaffeineCacheManager caffeineCacheManager(Settings settings) {
      CaffeineCacheManager manager = new CaffeineCacheManager();
      manager.setCaffeine(Caffeine.newBuilder().expireAfterWrite(settings.ttl()));
      return manager;
    }

    @Bean
    RedisCacheManager redisCacheManager(LettuceConnectionFactory redis, Settings settings) {
      return RedisCacheManager.builder(redis)
          .cacheDefaults(
              RedisCacheConfiguration.defaultCacheConfig()
                  .entryTtl(settings.ttl())
                  .prefixCacheNameWith(settings.prefix()))
          .build();
    }

    @Bean
    SharedLevel sharedLevel(Settings settings) {
      return new SharedLevel(settings.source());
    }

    @Bean
    LocalLevel localLevel(SharedLevel shared) {
      return new LocalLevel(shared);
    }
  }

  public static class LocalLevel {
    private final SharedLevel shared;

    public LocalLevel(SharedLevel shared) {
      this.shared = shared;
    }

    @Cacheable(cacheNames = "stock-l1", cacheManager = "caffeineCacheManager", sync = true)
    public Long remaining(String runId) {
      return shared.remaining(runId);
    }
  }

  public static class SharedLevel {
    private final SlowSource source;

    public SharedLevel(SlowSource source) {
      this.source = source;
    }

    @Cacheable(cacheNames = "stock-l2", cacheManager = "redisCacheManager", sync = true)
    public Long remaining(String runId) {
      return source.remaining(runId);
    }
  }
}
