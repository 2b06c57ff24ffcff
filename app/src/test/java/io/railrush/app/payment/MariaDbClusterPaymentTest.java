package io.railrush.app.payment;

import io.railrush.app.testing.TestDatabases;
import org.junit.jupiter.api.Tag;

@Tag("mariadb")
@Tag("redis")
@Tag("rabbitmq")
class MariaDbClusterPaymentTest extends ClusterPaymentContract {
  @Override
  protected TestDatabases.Database freshDatabase() {
    return TestDatabases.freshMariaDb();
  }
}
