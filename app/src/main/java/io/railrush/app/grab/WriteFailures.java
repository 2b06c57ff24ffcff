package io.railrush.app.grab;

import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.transaction.TransactionException;

/** Why the order writer failed: the grabs themselves, or a database that refuses writes. */
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
    boolean database =
        failure instanceof DataAccessException || failure instanceof TransactionException;
    return !database || failure instanceof DataIntegrityViolationException;
  }
}
