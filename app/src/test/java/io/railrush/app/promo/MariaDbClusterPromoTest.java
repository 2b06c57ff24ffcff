package io.railrush.app.promo;

import io.railrush.app.testing.TestDatabases;
import org.junit.jupiter.api.Tag;

@Tag("mariadb")
@Tag("redis")
@Tag("rabbitmq")
class MariaDbClusterPromoTest extends ClusterPromoContract {
  @Override
  protected TestDatabases.Database freshDatabase() {
    return TestDatabases.freshMariaDb();
  }
}
