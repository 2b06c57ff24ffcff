package io.railrush.app.infra;

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
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The lock service and the order-number generator, on the backends configured. */
@Configuration(proxyBeanMethods = false)
class CoordinationConfig {

  @Bean(destroyMethod = "close")
  @ConditionalOnExpression(
      "'${railrush.coordination.locks:in-process}' == 'zookeeper' or '${railrush.coordination.worker-ids:fixed}' == 'zookeeper'")
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
  @ConditionalOnExpression(
      "'${railrush.coordination.locks:in-process}' == 'zookeeper' or '${railrush.coordination.worker-ids:fixed}' == 'zookeeper'")
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
      DataSource dataSource) {
    return switch (properties.locks()) {
      case "in-process" -> Locks.inProcess();
      case "redis" -> Locks.redis(redis.getObject(), properties.keyPrefix() + ":lock:");
      case "zookeeper" ->
          Locks.zooKeeper(zooKeeper.getObject(), "/" + properties.keyPrefix() + "/locks");
      case "database" -> Locks.database(dataSource);
      default ->
          throw new IllegalArgumentException(
              "railrush.coordination.locks: unknown backend " + properties.locks());
    };
  }

  @Bean(destroyMethod = "close")
  WorkerIdLease workerIdLease(
      CoordinationProperties properties,
      ObjectProvider<RedisConnector> redis,
      ObjectProvider<CuratorFramework> zooKeeper) {
    return switch (properties.workerIds()) {
      case "fixed" -> WorkerIdLease.fixed(properties.workerId());
      case "redis" ->
          WorkerIds.fromRedis(
              redis.getObject(), properties.keyPrefix() + ":ids:", properties.workerIdLease());
      case "zookeeper" ->
          WorkerIds.fromZooKeeper(
              zooKeeper.getObject(), "/" + properties.keyPrefix() + "/order-workers");
      default ->
          throw new IllegalArgumentException(
              "railrush.coordination.worker-ids: unknown source " + properties.workerIds());
    };
  }

  @Bean
  OrderNumberGenerator orderNumberGenerator(WorkerIdLease workerId) {
    return new OrderNumberGenerator(workerId);
  }
}
