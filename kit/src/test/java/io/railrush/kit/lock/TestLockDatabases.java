package io.railrush.kit.lock;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.UUID;

/** A fresh schema (PostgreSQL) or database (MariaDB) with the lock table, per test class. */
final class TestLockDatabases {

  static final String POSTGRES =
      System.getenv()
          .getOrDefault("RAILRUSH_TEST_POSTGRES_URL", "jdbc:postgresql://127.0.0.1:5432/test");
  static final String MARIADB =
      System.getenv().getOrDefault("RAILRUSH_TEST_MARIADB_URL", "jdbc:mysql://127.0.0.1:3306/test");

  private TestLockDatabases() {}

  static String freshPostgres() throws Exception {
    String schema = "lk_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    exec(POSTGRES, "postgres", "create schema " + schema);
    String url = POSTGRES + "?currentSchema=" + schema;
    LockBackends.createLockTable(url, "postgres");
    return "jdbc|" + url + "|postgres";
  }

  static String freshMariaDb() throws Exception {
    String db = "lk_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    exec(MARIADB, "root", "create database " + db);
    String url =
        MARIADB.substring(0, MARIADB.lastIndexOf('/') + 1)
            + db
            + "?useSSL=false&allowPublicKeyRetrieval=true";
    LockBackends.createLockTable(url, "root");
    return "jdbc|" + url + "|root";
  }

  private static void exec(String url, String user, String sql) throws Exception {
    try (Connection c = DriverManager.getConnection(url, user, "");
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }
}
