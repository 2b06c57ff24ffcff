package io.railrush.kit.id;

import io.railrush.kit.id.internal.RedisWorkerIdLease;
import io.railrush.kit.id.internal.ZooKeeperWorkerIdLease;
import io.railrush.kit.redis.RedisConnector;
import java.time.Duration;
import org.apache.curator.framework.CuratorFramework;

/** Where worker ids are leased from. */
public final class WorkerIds {

  private WorkerIds() {}

  public static WorkerIdLease fromZooKeeper(CuratorFramework client, String basePath) {
    return ZooKeeperWorkerIdLease.claim(client, basePath);
  }

  public static WorkerIdLease fromRedis(RedisConnector redis, String keyPrefix, Duration lease) {
    return RedisWorkerIdLease.claim(redis, keyPrefix, lease);
  }
}
