package io.railrush.kit.seats;

/**
 * What a hold did.
 *
 * @param outcome what happened
 * @param holding the seats held: this call's ({@code HELD}) or the earlier one's ({@code
 *     ALREADY_HELD}); null otherwise
 */
public record HoldResult(Outcome outcome, Holding holding) {

  public enum Outcome {
    /** every passenger has a seat free on every leg of the journey, now held */
    HELD,
    /** not enough seats free on every leg for every passenger: nothing changed */
    SOLD_OUT,
    /** this holder holds seats already (a repeated call): nothing changed */
    ALREADY_HELD,
    /** the class was never loaded (or its keys were lost): load it from the database first */
    NOT_LOADED
  }
}
