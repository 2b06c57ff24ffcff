package io.railrush.app.infra;

import io.micrometer.core.instrument.MeterRegistry;
import io.railrush.kit.id.OrderNumberGenerator;
import io.railrush.kit.id.WorkerIdLease;
import io.railrush.kit.id.WorkerIds;
import io.railrush.kit.lock.LockService;
import io.railrush.kit.lock.Locks;
import io.railrush.kit.redis.RedisConnector;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;

/** The lock service and the order-number generator, on the backends configured. */
@Configuration(proxyBeanMethods = false)
class CoordinationConfig {

  @Bean(destroyMethod = "close")
  @Conditional(UsesZooKeeper.class)
  CuratorFramework zooKeeper(CoordinationProperties properties) throws InterruptedException {
    CoordinationProperties.ZooKeeper zk = properties.zookeeper();
    CuratorFramework client =
        CuratorFrameworkFactory.builder()
            .connectString(zk.connect())
            .sessionTimeoutMs((int) zk.sessionTimeout().toMillis())
            .connectionTimeoutMs(5_000)
            .retryPolicy(new ExponentialBackoffRetry(100, 10))
            .build();
    client.start();
    if (!client.blockUntilConnected(15, TimeUnit.SECONDS)) {
      client.close();
      throw new IllegalStateException("ZooKeeper at " + zk.connect() + " is unreachable");
    }
    return client;
  }

  @Bean
  @Conditional(UsesZooKeeper.class)
  HealthIndicator zookeeperHealthIndicator(CuratorFramework zooKeeper) {
    return () ->
        zooKeeper.getZookeeperClient().isConnected()
            ? Health.up()
                .withDetail("connect", zooKeeper.getZookeeperClient().getCurrentConnectionString())
                .build()
            : Health.down().build();
  }

  @Bean(destroyMethod = "close")
  LockService lockService(
      CoordinationProperties properties,
      ObjectProvider<RedisConnector> redis,
      ObjectProvider<CuratorFramework> zooKeeper,
      DataSource dataSource,
      MeterRegistry meters) {
    LockService locks =
        switch (properties.locks()) {
          case IN_PROCESS -> Locks.inProcess();
          case REDIS -> Locks.redis(redis.getObject(), properties.keyPrefix() + ":lock:");
          case ZOOKEEPER ->
              Locks.zooKeeper(zooKeeper.getObject(), "/" + properties.keyPrefix() + "/locks");
          case DATABASE -> Locks.database(dataSource);
        };
    return new MeasuredLocks(locks, meters, properties.locks().name().toLowerCase());
  }

  @Bean(destroyMethod = "close")
  WorkerIdLease workerIdLease(
      CoordinationProperties properties,
      ObjectProvider<RedisConnector> redis,
      ObjectProvider<CuratorFramework> zooKeeper) {
    return switch (properties.workerIds()) {
      case FIXED -> WorkerIdLease.fixed(properties.workerId());
      case REDIS ->
          WorkerIds.fromRedis(
              redis.getObject(), properties.keyPrefix() + ":ids:", properties.workerIdLease());
      case ZOOKEEPER ->
          WorkerIds.fromZooKeeper(
              zooKeeper.getObject(), "/" + properties.keyPrefix() + "/order-workers");
    };
  }

  @Bean
  OrderNumberGenerator orderNumberGenerator(WorkerIdLease workerId) {
    return new OrderNumberGenerator(workerId);
  }

  /** A ZooKeeper client is needed when locks or worker ids live there. */
  static final class UsesZooKeeper extends BoundCondition<CoordinationProperties> {
    UsesZooKeeper() {
      super("railrush.coordination", CoordinationProperties.class);
    }

    @Override
    protected boolean matches(CoordinationProperties properties) {
      return properties.uses(
          CoordinationProperties.LockBackend.ZOOKEEPER,
          CoordinationProperties.WorkerIdSource.ZOOKEEPER);
    }
  }
}
