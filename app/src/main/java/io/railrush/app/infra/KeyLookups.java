package io.railrush.app.infra;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Reads the rows of many unique keys at once, as lookups that are index lookups whatever the
 * database knows about the table: each key its own {@code select … where <key> = ?}, joined by
 * {@code union} into statements of 1, 4, 16 or 64 keys (the last key repeated to fill one up, so a
 * call site has four statements to prepare and plan, not one per count of keys).
 *
 * <p>Why not {@code where key in (…)}: PostgreSQL's driver prepares a statement on the server after
 * its fifth execution, and the server then keeps a generic plan made for the table as it was — our
 * tables start empty and grow by thousands of rows a second in a sale, and are analyzed only by
 * autovacuum (never where it is off). Measured here: {@code order_no in (20 ids)} kept a sequential
 * scan chosen at 5 rows, 110 ms at 200,000 rows against 0.2 ms freshly planned; on a two-column key
 * with the first column shared ({@code provider = ? and notify_id in (…)}, {@code (run_id,
 * active_user_id) in (…)}) even a fresh plan scans every row of that provider or run and filters,
 * 30–55 ms per batch. An equality on a whole unique key is planned as an index lookup at any size.
 */
public final class KeyLookups {

  private static final int[] STATEMENT_SIZES = {1, 4, 16, 64};

  private KeyLookups() {}

  /**
   * @param select the {@code select <columns> from <table> where } part, the caller's constant
   * @param keyCondition the equality on the unique key with one {@code ?} per key column, e.g.
   *     {@code "run_id = ? and active_user_id = ?"}, the caller's constant
   * @param keys each key's values, in the order of the {@code ?}s; repeated keys are looked up once
   * @return the rows found, each once, in no particular order
   */
  public static <T> List<T> find(
      JdbcClient jdbc, String select, String keyCondition, List<Object[]> keys, RowMapper<T> row) {
    List<List<Object>> distinct =
        List.copyOf(new LinkedHashSet<>(keys.stream().map(Arrays::asList).toList()));
    List<T> found = new ArrayList<>();
    String branch = select + keyCondition;
    int from = 0;
    while (from < distinct.size()) {
      int size = statementSize(distinct.size() - from);
      List<Object> params = new ArrayList<>();
      StringBuilder sql = new StringBuilder();
      for (int i = 0; i < size; i++) {
        if (i > 0) {
          sql.append(" union ");
        }
        sql.append(branch);
        params.addAll(distinct.get(Math.min(from + i, distinct.size() - 1)));
      }
      found.addAll(jdbc.sql(sql.toString()).params(params).query(row).list());
      from += size;
    }
    return found;
  }

  /** The smallest statement that takes {@code remaining} keys, or the largest. */
  private static int statementSize(int remaining) {
    for (int size : STATEMENT_SIZES) {
      if (size >= remaining) {
        return size;
      }
    }
    return STATEMENT_SIZES[STATEMENT_SIZES.length - 1];
  }
}
