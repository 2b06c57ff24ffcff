package io.railrush.app.infra;

import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Retention for append-mostly tables: the oldest rows go first, a bounded chunk at a time. */
public final class OldestRows {

  private OldestRows() {}

  /**
   * Deletes up to {@code limit} rows of {@code table} whose {@code timeColumn} is before {@code
   * beforeMs}, oldest first; how many. Two statements (ids, then delete by id) because PostgreSQL
   * has no DELETE … LIMIT and MariaDB no LIMIT in an IN subquery. The names are the caller's
   * constants, never input.
   */
  public static int delete(
      JdbcClient jdbc, String table, String idColumn, String timeColumn, long beforeMs, int limit) {
    List<String> ids =
        jdbc.sql(
                "select "
                    + idColumn
                    + " from "
                    + table
                    + " where "
                    + timeColumn
                    + " < ? order by "
                    + timeColumn
                    + " limit ?")
            .params(beforeMs, limit)
            .query(String.class)
            .list();
    if (ids.isEmpty()) {
      return 0;
    }
    return jdbc.sql("delete from " + table + " where " + idColumn + " in (:ids)")
        .param("ids", ids)
        .update();
  }
}
