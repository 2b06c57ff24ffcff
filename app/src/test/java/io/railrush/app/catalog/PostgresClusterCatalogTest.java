package io.railrush.app.catalog;

import io.railrush.app.testing.TestDatabases;

class PostgresClusterCatalogTest extends ClusterCatalogContract {
  @Override
  protected TestDatabases.Database freshDatabase() {
    return TestDatabases.freshPostgres();
  }
}
