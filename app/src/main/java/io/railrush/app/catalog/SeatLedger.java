package io.railrush.app.catalog;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.NamedInterface;
import org.springframework.stereotype.Component;

/**
 * The database's count of sold seats: the last guard against overselling. Every method joins the
 * caller's transaction, so taking a seat and writing the order commit together or not at all.
 */
@NamedInterface("api")
@Component
public class SeatLedger {

  private static final Logger log = LoggerFactory.getLogger(SeatLedger.class);

  private final JdbcClient jdbc;
  private final Counter breaches;

  SeatLedger(JdbcClient jdbc, MeterRegistry meters) {
    this.jdbc = jdbc;
    this.breaches =
        Counter.builder("railrush.seats.ledger.breaches")
            .description(
                "seats given back that the ledger had not sold: a seat returned twice somewhere")
            .register(meters);
  }

  public record Seats(int seats, int sold) {

    private static Seats map(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
      return new Seats(rs.getInt("seats"), rs.getInt("sold"));
    }
  }

  /**
   * Takes up to {@code wanted} seats of the run, as many as are left: the run's row is locked for
   * the rest of the transaction, and the update itself refuses to pass {@code seats}.
   *
   * @return how many were taken (0 when sold out or the run does not exist)
   */
  public int take(String runId, int wanted) {
    Optional<Seats> now =
        jdbc.sql("select seats, sold from train_run where run_id = ? for update")
            .param(runId)
            .query(Seats::map)
            .optional();
    if (now.isEmpty()) {
      return 0;
    }
    int granted = Math.min(wanted, now.get().seats() - now.get().sold());
    if (granted <= 0) {
      return 0;
    }
    int updated =
        jdbc.sql("update train_run set sold = sold + ? where run_id = ? and sold + ? <= seats")
            .params(granted, runId, granted)
            .update();
    return updated == 1 ? granted : 0;
  }

  /**
   * Returns one seat (a cancelled order's). Never below zero; a give-back at zero means a seat was
   * returned twice somewhere — an invariant breach, counted ({@code
   * railrush_seats_ledger_breaches}) and logged as an error rather than silently absorbed, so tests
   * and operators see it.
   */
  public void giveBack(String runId) {
    int updated =
        jdbc.sql("update train_run set sold = sold - 1 where run_id = ? and sold > 0")
            .param(runId)
            .update();
    if (updated == 0) {
      breaches.increment();
      log.error("INVARIANT BREACH: a seat of {} given back that the ledger had not sold", runId);
    }
  }

  /** Seats and sold, read from the database (not the cache). */
  public Optional<Seats> read(String runId) {
    return jdbc.sql("select seats, sold from train_run where run_id = ?")
        .param(runId)
        .query(Seats::map)
        .optional();
  }
}
