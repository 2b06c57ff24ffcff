package io.railrush.app.grab;

import io.railrush.app.infra.Outages;

/**
 * Why the order writer failed: the grabs themselves, or a store it needs (the database, the shared
 * tier) that refuses or cannot answer.
 */
final class WriteFailures {

  private WriteFailures() {}

  /**
   * True when retrying the same grabs cannot help: they break a constraint, or the writer fails on
   * them for a reason that is not the database's (a bug, which a replay after the fix redelivers).
   * Everything else the database says — unreachable, timed out, read-only, failing over, a
   * deadlock, a transaction that cannot begin or commit — passes, so the grabs are kept and
   * retried.
   */
  static boolean isPoison(RuntimeException failure) {
    return !Outages.isOutage(failure); // BackendUnavailable: the abandoned-grab marks' store
  }
}
