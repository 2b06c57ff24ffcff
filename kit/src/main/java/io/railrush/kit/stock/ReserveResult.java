package io.railrush.kit.stock;

/**
 * The answer of {@link StockReservations#reserve}.
 *
 * @param outcome what happened
 * @param orderNo the order that holds the seat: the new one when reserved, the existing one when
 *     the user already holds a seat on this run, else null
 * @param remaining seats left after the call (−1 when the run's stock is not loaded)
 */
public record ReserveResult(Outcome outcome, String orderNo, long remaining) {

  public enum Outcome {
    RESERVED,
    SOLD_OUT,
    ALREADY_HOLDING,
    /** The run's stock is not loaded (not on sale yet, or lost with a Redis restart). */
    NOT_LOADED
  }
}
