package io.railrush.app.catalog;

import io.railrush.app.testing.TestDatabases;

class MariaDbClusterCatalogTest extends ClusterCatalogContract {
  @Override
  protected TestDatabases.Database freshDatabase() {
    return TestDatabases.freshMariaDb();
  }
}
