package io.railrush.app.catalog;

import io.railrush.app.testing.TestDatabases;
import org.junit.jupiter.api.Tag;

@Tag("postgres")
@Tag("redis")
@Tag("rabbitmq")
class PostgresClusterCatalogTest extends ClusterCatalogContract {
  @Override
  protected TestDatabases.Database freshDatabase() {
    return TestDatabases.freshPostgres();
  }
}
