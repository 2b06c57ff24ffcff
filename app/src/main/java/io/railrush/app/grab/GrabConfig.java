package io.railrush.app.grab;

import io.railrush.kit.limit.RateLimits;
import io.railrush.kit.redis.RedisConnector;
import io.railrush.kit.stock.StockReservations;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Stock counters and rate limits: in Redis when the cluster's shared tier is Redis, else in this
 * JVM.
 */
@Configuration(proxyBeanMethods = false)
class GrabConfig {

  @Bean
  StockReservations stockReservations(
      @Value("${railrush.shared-tier:in-process}") String tier,
      ObjectProvider<RedisConnector> redis,
      GrabProperties properties) {
    return "redis".equals(tier)
        ? StockReservations.redis(redis.getObject(), properties.keyPrefix() + "stock:")
        : StockReservations.inProcess();
  }

  @Bean
  RateLimits rateLimits(
      @Value("${railrush.shared-tier:in-process}") String tier,
      ObjectProvider<RedisConnector> redis,
      GrabProperties properties) {
    return "redis".equals(tier)
        ? RateLimits.redis(redis.getObject(), properties.keyPrefix() + "limit:")
        : RateLimits.inProcess();
  }
}
