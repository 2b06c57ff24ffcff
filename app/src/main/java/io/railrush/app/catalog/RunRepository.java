package io.railrush.app.catalog;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The {@code train_run} table. Instants are stored as epoch milliseconds so one migration serves
 * H2, PostgreSQL and MySQL/MariaDB without per-vendor time-zone semantics.
 */
@Repository
class RunRepository {

  private static final String COLUMNS =
      "run_id, train_no, departure_date, origin, destination, departure_time, seats, sold, price_cents, sale_opens_at_ms";

  private final JdbcClient jdbc;

  RunRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  Optional<Run> find(String runId) {
    return jdbc.sql("select " + COLUMNS + " from train_run where run_id = ?")
        .param(runId)
        .query(RunRepository::map)
        .optional();
  }

  /** Runs matching every given filter (null = any), by departure date and time. */
  List<Run> search(String origin, String destination, LocalDate date, int limit) {
    StringBuilder sql = new StringBuilder("select " + COLUMNS + " from train_run where 1 = 1");
    List<Object> params = new ArrayList<>();
    if (origin != null) {
      sql.append(" and origin = ?");
      params.add(origin);
    }
    if (destination != null) {
      sql.append(" and destination = ?");
      params.add(destination);
    }
    if (date != null) {
      sql.append(" and departure_date = ?");
      params.add(date);
    }
    sql.append(" order by departure_date, departure_time, run_id limit ?");
    params.add(limit);
    return jdbc.sql(sql.toString()).params(params).query(RunRepository::map).list();
  }

  List<String> allIds() {
    return jdbc.sql("select run_id from train_run").query(String.class).list();
  }

  List<String> idsDepartingFrom(LocalDate date) {
    return jdbc.sql("select run_id from train_run where departure_date >= ?")
        .param(date)
        .query(String.class)
        .list();
  }

  long count() {
    return jdbc.sql("select count(*) from train_run").query(Long.class).single();
  }

  /**
   * @throws org.springframework.dao.DuplicateKeyException when the train already runs that day
   */
  void insert(Run run, Instant createdAt) {
    jdbc.sql(
            "insert into train_run ("
                + COLUMNS
                + ", created_at_ms) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
        .params(
            run.runId(),
            run.trainNo(),
            run.departureDate(),
            run.origin(),
            run.destination(),
            run.departureTime(),
            run.seats(),
            run.sold(),
            run.priceCents(),
            run.saleOpensAt() == null ? null : run.saleOpensAt().toEpochMilli(),
            createdAt.toEpochMilli())
        .update();
  }

  private static Run map(ResultSet rs, int row) throws SQLException {
    Object saleOpens = rs.getObject("sale_opens_at_ms");
    return new Run(
        rs.getString("run_id"),
        rs.getString("train_no"),
        rs.getObject("departure_date", LocalDate.class),
        rs.getString("origin"),
        rs.getString("destination"),
        rs.getObject("departure_time", LocalTime.class),
        rs.getInt("seats"),
        rs.getInt("sold"),
        rs.getLong("price_cents"),
        saleOpens == null ? null : Instant.ofEpochMilli(((Number) saleOpens).longValue()));
  }
}
