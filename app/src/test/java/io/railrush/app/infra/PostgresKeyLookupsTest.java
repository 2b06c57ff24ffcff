package io.railrush.app.infra;

import static org.assertj.core.api.Assertions.assertThat;

import io.railrush.app.testing.TestDatabases;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/**
 * On PostgreSQL with a table that was tiny when its lookups were first run (the driver's
 * server-side statement and its cached generic plan outlive the growth, and nothing analyzes the
 * table): {@link KeyLookups} still reads only the keys asked for, where {@code in (…)} reads every
 * row. Rows read are counted by the server's own statistics, not timed.
 */
@Tag("postgres")
class PostgresKeyLookupsTest {

  private static final String SELECT = "select order_no, user_id from lookup_probe where ";

  private SingleConnectionDataSource connection;
  private JdbcClient jdbc;

  @BeforeEach
  void tinyTable() {
    TestDatabases.Database db = TestDatabases.freshPostgres();
    connection = new SingleConnectionDataSource(db.url(), db.username(), "", true);
    jdbc = JdbcClient.create(connection);
    jdbc.sql(
            "create table lookup_probe (order_no varchar(32) primary key, user_id varchar(64),"
                + " pad varchar(200)) with (autovacuum_enabled = false)")
        .update();
    insert(1, 5);
  }

  @AfterEach
  void close() {
    connection.destroy();
  }

  @Test
  void keyLookupsReadOnlyTheirKeysAfterTheTableGrew() throws SQLException {
    List<Object[]> keys = keys();
    for (int i = 0; i < 20; i++) { // past the driver's prepare threshold and the server's 5 plans
      KeyLookups.find(jdbc, SELECT, "order_no = ?", keys, (rs, n) -> rs.getString(1));
    }
    insert(6, 100_000);

    connection.getConnection().setAutoCommit(false);
    long before = rowsRead();
    List<String> found =
        KeyLookups.find(jdbc, SELECT, "order_no = ?", keys, (rs, n) -> rs.getString(1));

    assertThat(found).containsExactlyInAnyOrder("O1", "O2", "O3", "O4", "O5", "O6", "O7", "O50000");
    assertThat(rowsRead() - before).as("rows read for 20 keys").isLessThan(100);
  }

  @Test
  void anInListReadsEveryRowOnceItsPlanWasMadeOnTheTinyTable() throws SQLException {
    List<Object[]> keys = keys();
    List<Object> ids = keys.stream().map(key -> key[0]).toList();
    String inList = SELECT + "order_no in (:ids)";
    for (int i = 0; i < 20; i++) {
      jdbc.sql(inList).param("ids", ids).query((rs, n) -> rs.getString(1)).list();
    }
    insert(6, 100_000);

    connection.getConnection().setAutoCommit(false);
    long before = rowsRead();
    assertThat(jdbc.sql(inList).param("ids", ids).query((rs, n) -> rs.getString(1)).list())
        .hasSize(8);

    assertThat(rowsRead() - before).as("what the lookups above avoid").isGreaterThan(99_000);
  }

  /** 20 keys, 8 of which will exist once the table has grown (5 exist while it is tiny). */
  private static List<Object[]> keys() {
    List<Object[]> keys = new ArrayList<>();
    IntStream.rangeClosed(1, 7).forEach(n -> keys.add(new Object[] {"O" + n}));
    keys.add(new Object[] {"O50000"});
    IntStream.range(0, 12).forEach(n -> keys.add(new Object[] {"missing-" + n}));
    return keys;
  }

  private void insert(int from, int to) {
    jdbc.sql(
            "insert into lookup_probe select 'O' || g, 'U' || g, repeat('x', 100)"
                + " from generate_series(?, ?) g")
        .params(from, to)
        .update();
  }

  /**
   * Rows this session's scans of the table have read in its open transaction: sequential rows plus
   * primary-key entries (the server's own counters, exact within the transaction).
   */
  private long rowsRead() {
    return jdbc.sql(
            "select pg_stat_get_xact_tuples_returned('lookup_probe'::regclass)"
                + " + pg_stat_get_xact_tuples_returned('lookup_probe_pkey'::regclass)")
        .query(Long.class)
        .single();
  }
}
