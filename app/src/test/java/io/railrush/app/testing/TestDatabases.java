package io.railrush.app.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * A fresh, empty schema per test class on the machine's PostgreSQL and MariaDB, so tests run in any
 * order and never see each other's rows. URLs can be overridden by environment variables.
 */
public final class TestDatabases {

  public static final String POSTGRES =
      System.getenv()
          .getOrDefault("RAILRUSH_TEST_POSTGRES_URL", "jdbc:postgresql://127.0.0.1:5432/test");
  public static final String POSTGRES_USER =
      System.getenv().getOrDefault("RAILRUSH_TEST_POSTGRES_USER", "postgres");
  public static final String MARIADB =
      System.getenv().getOrDefault("RAILRUSH_TEST_MARIADB_URL", "jdbc:mysql://127.0.0.1:3306/test");
  public static final String MARIADB_USER =
      System.getenv().getOrDefault("RAILRUSH_TEST_MARIADB_USER", "root");

  private TestDatabases() {}

  public record Database(String url, String username) {}

  public static Database freshPostgres() {
    String schema = uniqueName();
    execute(POSTGRES, POSTGRES_USER, "create schema " + schema);
    return new Database(
        POSTGRES + (POSTGRES.contains("?") ? "&" : "?") + "currentSchema=" + schema, POSTGRES_USER);
  }

  public static Database freshMariaDb() {
    String database = uniqueName();
    execute(
        MARIADB,
        MARIADB_USER,
        "create database " + database + " character set utf8mb4 collate utf8mb4_bin");
    String base = MARIADB.substring(0, MARIADB.lastIndexOf('/') + 1);
    return new Database(
        base + database + "?useSSL=false&allowPublicKeyRetrieval=true", MARIADB_USER);
  }

  /** Runs {@code sql} on the machine's PostgreSQL as its superuser (roles, sessions). */
  public static void postgresAdmin(String sql) {
    execute(POSTGRES, POSTGRES_USER, sql);
  }

  /**
   * A login role of its own on PostgreSQL, for nodes a test will cut off or turn read-only without
   * touching anyone else's sessions; {@link #dropPostgresRole} removes it.
   */
  public static Database asNewPostgresRole(Database db) {
    String role = uniqueName();
    postgresAdmin("create role " + role + " login superuser");
    return new Database(db.url(), role);
  }

  /** Ends every session of {@code role} (its pools reconnect, with the role's current settings). */
  public static void endPostgresSessions(String role) {
    postgresAdmin(
        "select pg_terminate_backend(pid) from pg_stat_activity where usename = '" + role + "'");
  }

  public static void dropPostgresRole(String role) {
    postgresAdmin("alter role " + role + " login");
    endPostgresSessions(role);
    postgresAdmin("drop role if exists " + role);
  }

  private static String uniqueName() {
    return "rr_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
  }

  private static void execute(String url, String user, String sql) {
    try (Connection c = DriverManager.getConnection(url, user, "");
        Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(
          "cannot prepare test database at " + url + ": " + e.getMessage(), e);
    }
  }
}
