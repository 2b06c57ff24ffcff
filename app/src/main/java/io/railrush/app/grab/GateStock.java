package io.railrush.app.grab;

import java.util.OptionalLong;
import org.springframework.modulith.NamedInterface;
import org.springframework.stereotype.Component;

/**
 * What the gate still has to sell of a run (the seat store ahead of the database): the dashboard
 * reads it next to the database's {@code sold} to show the grabs accepted and not yet written.
 */
@Component
@NamedInterface("api")
public class GateStock {

  private final SeatHolds holds;

  GateStock(SeatHolds holds) {
    this.holds = holds;
  }

  /**
   * Seats the gate can still sell, or empty when the run's stock is not loaded there or the store
   * cannot answer now (a dashboard keeps going while Redis is away).
   */
  public OptionalLong remaining(String runId) {
    try {
      long remaining = holds.remaining(runId);
      return remaining < 0 ? OptionalLong.empty() : OptionalLong.of(remaining);
    } catch (RuntimeException storeDown) {
      return OptionalLong.empty();
    }
  }
}
