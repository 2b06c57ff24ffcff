package io.railrush.app.grab;

/** Carries accepted grabs from the gate to the order writer (peak shaving: 削峰). */
interface GrabBus {

  /**
   * Returns once the grab is stored durably by the bus (the broker confirmed it, or the outbox row
   * committed). Throws {@link PublishOutcomeUnknownException} when it was sent but not confirmed
   * (it may still arrive), any other exception when it was not stored.
   */
  void publish(GrabAccepted grab);

  /** Sent, but neither confirmed nor refused in time: the grab may still reach the order writer. */
  final class PublishOutcomeUnknownException extends RuntimeException {
    PublishOutcomeUnknownException(String orderNo, Throwable cause) {
      super("no publisher confirm for " + orderNo, cause);
    }
  }

  /** Grabs waiting for the order writer. */
  long backlog();

  /** Dead-lettered grabs: ones the order writer refused {@code deliveryLimit} times. */
  long dead();

  /**
   * Hands up to {@code max} dead-lettered grabs to the order writer again (once their cause is
   * fixed); the writer's own checks make a grab written before a no-op. Returns how many.
   */
  int replayDead(int max);
}
