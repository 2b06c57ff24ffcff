package io.railrush.app.grab;

/** Carries accepted grabs from the gate to the order writer (peak shaving: 削峰). */
interface GrabBus {

  /**
   * Returns once the grab is stored durably by the bus (the broker confirmed it, or the outbox row
   * committed); throws if that cannot be known.
   */
  void publish(GrabAccepted grab);

  /** Grabs waiting for the order writer. */
  long backlog();
}
