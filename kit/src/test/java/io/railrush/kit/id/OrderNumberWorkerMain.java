package io.railrush.kit.id;

import io.railrush.kit.redis.RedisConnector;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.FileOutputStream;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;

/** A node of the order-number test: {@code <zk|connect | redis|url|prefix> <count> <outFile>}. */
public final class OrderNumberWorkerMain {

  public static void main(String[] args) throws Exception {
    String[] spec = args[0].split("\\|");
    int count = Integer.parseInt(args[1]);
    AutoCloseable resource;
    WorkerIdLease lease;
    if (spec[0].equals("zk")) {
      CuratorFramework client =
          CuratorFrameworkFactory.newClient(
              spec[1], 5_000, 5_000, new ExponentialBackoffRetry(50, 10));
      client.start();
      client.blockUntilConnected(10, TimeUnit.SECONDS);
      resource = client;
      lease = WorkerIds.fromZooKeeper(client, "/railrush/order-workers");
    } else {
      RedisConnector redis = RedisConnector.of(spec[1]);
      resource = redis;
      // four of these JVMs share two cores with the test: a 3 s lease lapsed in a CI run when
      // renewals fell behind, and a lapsed lease rightly stops the generator mid-run
      lease = WorkerIds.fromRedis(redis, spec[2], Duration.ofSeconds(10));
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!lease.isValid() && System.nanoTime() < deadline) {
      Thread.sleep(20); // a lease that could not be taken at start is retried in the background
    }
    OrderNumberGenerator generator = new OrderNumberGenerator(lease);
    try (DataOutputStream out =
        new DataOutputStream(new BufferedOutputStream(new FileOutputStream(args[2])))) {
      for (int i = 0; i < count; i++) {
        out.writeLong(generator.nextId());
      }
    }
    System.out.println("DONE " + lease.getClass().getSimpleName());
    System.out.flush();
    lease.close();
    resource.close();
  }
}
