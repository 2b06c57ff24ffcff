package io.railrush.app.grab;

import io.railrush.app.infra.BoundCondition;
import io.railrush.app.infra.SharedTierProperties;
import io.railrush.kit.limit.RateLimits;
import io.railrush.kit.redis.RedisConnector;
import io.railrush.kit.stock.StockReservations;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Stock counters and rate limits live in the shared tier: Redis in a cluster, else this JVM. */
@Configuration(proxyBeanMethods = false)
class GrabConfig {

  @Bean
  StockReservations stockReservations(
      SharedTierProperties tier, ObjectProvider<RedisConnector> redis, GrabProperties properties) {
    return switch (tier.sharedTier()) {
      case IN_PROCESS -> StockReservations.inProcess();
      case REDIS -> StockReservations.redis(redis.getObject(), properties.keyPrefix() + "stock:");
    };
  }

  @Bean
  RateLimits rateLimits(
      SharedTierProperties tier, ObjectProvider<RedisConnector> redis, GrabProperties properties) {
    return switch (tier.sharedTier()) {
      case IN_PROCESS -> RateLimits.inProcess();
      case REDIS -> RateLimits.redis(redis.getObject(), properties.keyPrefix() + "limit:");
    };
  }

  /** The RabbitMQ bus is chosen. */
  static final class OnRabbitBus extends OnBusType {
    OnRabbitBus() {
      super(GrabProperties.BusType.RABBITMQ);
    }
  }

  /** The outbox bus is chosen. */
  static final class OnOutboxBus extends OnBusType {
    OnOutboxBus() {
      super(GrabProperties.BusType.OUTBOX);
    }
  }

  private abstract static class OnBusType extends BoundCondition<GrabProperties> {
    private final GrabProperties.BusType type;

    OnBusType(GrabProperties.BusType type) {
      super("railrush.grab", GrabProperties.class);
      this.type = type;
    }

    @Override
    protected boolean matches(GrabProperties properties) {
      return properties.bus().type() == type;
    }
  }
}
