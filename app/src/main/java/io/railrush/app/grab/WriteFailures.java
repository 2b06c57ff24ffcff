package io.railrush.app.grab;

import io.railrush.kit.BackendUnavailableException;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.transaction.TransactionException;

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
   * retried. Broader than {@link io.railrush.app.infra.Outages} on purpose: each grab here is one a
   * buyer was told was accepted, so any database error holds it rather than dead-lettering it.
   */
  static boolean isPoison(RuntimeException failure) {
    boolean database =
        failure instanceof DataAccessException
            || failure instanceof TransactionException
            || failure instanceof BackendUnavailableException; // the abandoned-grab marks' store
    return !database || failure instanceof DataIntegrityViolationException;
  }
}
