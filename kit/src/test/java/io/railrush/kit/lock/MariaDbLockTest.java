package io.railrush.kit.lock;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;

@Tag("mariadb")
class MariaDbLockTest extends LeasedLockContract {
  private static String spec;

  @BeforeAll
  static void database() throws Exception {
    spec = TestLockDatabases.freshMariaDb();
  }

  @Override
  protected String spec() {
    return spec;
  }
}
