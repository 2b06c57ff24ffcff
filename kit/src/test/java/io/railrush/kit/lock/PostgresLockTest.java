package io.railrush.kit.lock;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;

@Tag("postgres")
class PostgresLockTest extends LeasedLockContract {
  private static String spec;

  @BeforeAll
  static void database() throws Exception {
    spec = TestLockDatabases.freshPostgres();
  }

  @Override
  protected String spec() {
    return spec;
  }
}
