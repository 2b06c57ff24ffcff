package io.railrush.app.catalog;

import io.railrush.app.testing.TestDatabases;
import org.junit.jupiter.api.Tag;

@Tag("mariadb")
@Tag("redis")
@Tag("rabbitmq")
class MariaDbClusterCatalogTest extends ClusterCatalogContract {
  @Override
  protected TestDatabases.Database freshDatabase() {
    return TestDatabases.freshMariaDb();
  }
}
