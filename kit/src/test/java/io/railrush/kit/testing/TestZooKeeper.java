package io.railrush.kit.testing;

import java.util.List;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingCluster;
import org.apache.curator.test.TestingServer;
import org.apache.zookeeper.util.ServiceUtils;

/**
 * In-process ZooKeeper servers for tests. ZooKeeper's server code exits the JVM on errors it deems
 * fatal (a quorum peer that does not shut down in time, a port it cannot bind); inside a test fork
 * that kills every test still to run and loses the results of those that ran (seen once, after
 * {@code ZooKeeperLockTest} had passed: "The forked VM terminated", exit code 2). Every server made
 * here reports such a request on stderr instead, so a test that needed the server fails on its own.
 */
public final class TestZooKeeper {

  static {
    ServiceUtils.setSystemExitProcedure(
        code ->
            System.err.println(
                "ZooKeeper asked to exit the JVM with code " + code + "; refused in tests"));
  }

  private TestZooKeeper() {}

  public static TestingServer server() throws Exception {
    return new TestingServer(true);
  }

  public static TestingServer server(InstanceSpec spec) throws Exception {
    return new TestingServer(spec, true);
  }

  public static TestingCluster cluster(List<InstanceSpec> servers) {
    return new TestingCluster(servers);
  }
}
