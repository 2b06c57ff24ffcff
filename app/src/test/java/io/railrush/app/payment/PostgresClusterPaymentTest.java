package io.railrush.app.payment;

import io.railrush.app.testing.TestDatabases;
import org.junit.jupiter.api.Tag;

@Tag("postgres")
@Tag("redis")
@Tag("rabbitmq")
class PostgresClusterPaymentTest extends ClusterPaymentContract {
  @Override
  protected TestDatabases.Database freshDatabase() {
    return TestDatabases.freshPostgres();
  }
}
