package io.railrush.app.grab;

import io.railrush.app.testing.TestDatabases;
import org.junit.jupiter.api.Tag;

@Tag("mariadb")
@Tag("redis")
@Tag("rabbitmq")
class MariaDbClusterGrabTest extends ClusterGrabContract {
  @Override
  protected TestDatabases.Database freshDatabase() {
    return TestDatabases.freshMariaDb();
  }
}
