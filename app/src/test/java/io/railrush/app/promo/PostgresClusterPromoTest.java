package io.railrush.app.promo;

import io.railrush.app.testing.TestDatabases;
import org.junit.jupiter.api.Tag;

@Tag("postgres")
@Tag("redis")
@Tag("rabbitmq")
class PostgresClusterPromoTest extends ClusterPromoContract {
  @Override
  protected TestDatabases.Database freshDatabase() {
    return TestDatabases.freshPostgres();
  }
}
