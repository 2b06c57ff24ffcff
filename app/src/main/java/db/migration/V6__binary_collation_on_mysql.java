package db.migration;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * On MySQL/MariaDB, every table and the database's default become {@code utf8mb4_bin}: ids compare
 * byte for byte there as they do in Redis, PostgreSQL and the JVM. With the server's default
 * (case-insensitive) collation, users {@code Ann} and {@code ann} would collide on the one active
 * order per user key though Redis holds a seat for each, and the order writer's batch would fail
 * again and again. Other databases compare exactly already: nothing to do.
 *
 * <p>A Java migration so one script serves both JDBC vendors ({@code mysql} and {@code mariadb})
 * and reads the table list rather than repeating it.
 */
public class V6__binary_collation_on_mysql extends BaseJavaMigration {

  @Override
  public void migrate(Context context) throws Exception {
    Connection connection = context.getConnection();
    String product = connection.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
    if (!product.contains("mysql") && !product.contains("mariadb")) {
      return;
    }
    try (Statement statement = connection.createStatement()) {
      List<String> tables = new ArrayList<>();
      try (ResultSet rs =
          statement.executeQuery(
              "select table_name from information_schema.tables where table_schema = database()"
                  + " and table_type = 'BASE TABLE' and table_name <> 'flyway_schema_history'")) {
        while (rs.next()) {
          tables.add(rs.getString(1));
        }
      }
      String database;
      try (ResultSet rs = statement.executeQuery("select database()")) {
        rs.next();
        database = rs.getString(1);
      }
      // tables created by later migrations inherit it
      statement.execute(
          "alter database `" + database + "` character set utf8mb4 collate utf8mb4_bin");
      for (String table : tables) {
        statement.execute(
            "alter table `" + table + "` convert to character set utf8mb4 collate utf8mb4_bin");
      }
    }
  }
}
