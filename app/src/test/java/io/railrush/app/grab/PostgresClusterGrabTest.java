package io.railrush.app.grab;

import io.railrush.app.testing.TestDatabases;

class PostgresClusterGrabTest extends ClusterGrabContract {
  @Override
  protected TestDatabases.Database freshDatabase() {
    return TestDatabases.freshPostgres();
  }
}
