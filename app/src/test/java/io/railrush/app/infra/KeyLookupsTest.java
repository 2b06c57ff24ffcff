package io.railrush.app.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/**
 * {@link KeyLookups} finds exactly the keys that exist, across statement boundaries (1, 4, 16, 64
 * keys per statement), with two-column keys whose halves would mix if parameters were bound out of
 * order, and repeated keys found once. Without keys it does not touch the database.
 */
class KeyLookupsTest {

  private static final String SELECT = "select run_id, user_id, order_no from holder where ";
  private static final String KEY = "run_id = ? and user_id = ?";

  private SingleConnectionDataSource database;
  private JdbcClient jdbc;

  @BeforeEach
  void table() {
    database =
        new SingleConnectionDataSource("jdbc:h2:mem:key-lookups;DB_CLOSE_DELAY=-1", "sa", "", true);
    jdbc = JdbcClient.create(database);
    jdbc.sql(
            "create table holder (run_id varchar(16), user_id varchar(16), order_no varchar(16),"
                + " primary key (run_id, user_id))")
        .update();
    // run r<i> is held by user u<i> only: a key (r<i>, u<j>) with i != j does not exist
    for (int i = 0; i < 200; i++) {
      jdbc.sql("insert into holder values (?, ?, ?)").params("r" + i, "u" + i, "o" + i).update();
    }
  }

  @AfterEach
  void drop() {
    jdbc.sql("drop table holder").update();
    database.destroy();
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 3, 4, 5, 16, 17, 63, 64, 65, 129})
  void findsExactlyTheKeysThatExist(int count) {
    List<Object[]> keys = new ArrayList<>();
    List<String> expected = new ArrayList<>();
    IntStream.range(0, count)
        .forEach(
            i -> {
              if (i % 3 == 0) {
                keys.add(new Object[] {"r" + i, "u" + (i + 1)}); // halves of two real keys
              } else {
                keys.add(new Object[] {"r" + i, "u" + i});
                expected.add("o" + i);
              }
            });
    keys.add(keys.getLast()); // a repeated key is looked up once

    List<String> found =
        KeyLookups.find(jdbc, SELECT, KEY, keys, (rs, n) -> rs.getString("order_no"));

    assertThat(found).containsExactlyInAnyOrderElementsOf(expected);
  }

  @Test
  void noKeysNoStatement() {
    JdbcClient unreachable =
        JdbcClient.create(
            new SingleConnectionDataSource("jdbc:h2:tcp://127.0.0.1:1/nowhere", "sa", "", true));
    assertThat(KeyLookups.find(unreachable, SELECT, KEY, List.of(), (rs, n) -> rs.getString(1)))
        .isEmpty();
  }
}
