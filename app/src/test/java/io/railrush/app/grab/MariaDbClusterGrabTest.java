package io.railrush.app.grab;

import io.railrush.app.testing.TestDatabases;

class MariaDbClusterGrabTest extends ClusterGrabContract {
  @Override
  protected TestDatabases.Database freshDatabase() {
    return TestDatabases.freshMariaDb();
  }
}
