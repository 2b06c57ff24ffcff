package io.railrush.app.grab;

import io.railrush.app.testing.TestDatabases;
import org.junit.jupiter.api.Tag;

@Tag("postgres")
@Tag("redis")
@Tag("rabbitmq")
class PostgresClusterGrabTest extends ClusterGrabContract {
  @Override
  protected TestDatabases.Database freshDatabase() {
    return TestDatabases.freshPostgres();
  }
}
