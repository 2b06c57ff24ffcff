package io.railrush.app.infra;

import io.railrush.kit.BackendUnavailableException;
import java.sql.SQLException;
import java.util.Set;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;
import org.springframework.transaction.TransactionTimedOutException;

/**
 * "Is this failure the store's, or the work's?", for the workers that retry (messaging consumers,
 * settlement). A store that is away, slow, failing over, contended or read-only is an outage: the
 * work waits and is tried again without counting it against the work, so an outage never
 * dead-letters a message or sends a payment to a person. Anything else — a constraint the work
 * breaks, a bug (bad SQL, an unexpected result), unreadable input — is the work's own: after a few
 * tries it goes to a person.
 */
public final class Outages {

  /**
   * Read-only refusals (a standby, a primary put read-only): PostgreSQL's SQLSTATE, and MySQL's and
   * MariaDB's error codes ({@code --read-only}, a read-only transaction, {@code innodb_read_only}).
   * Spring translates none of them to a transient exception.
   */
  private static final String POSTGRES_READ_ONLY = "25006";

  private static final Set<Integer> MYSQL_READ_ONLY = Set.of(1290, 1792, 1836, 1874);

  private Outages() {}

  public static boolean isOutage(Throwable failure) {
    return failure instanceof BackendUnavailableException
        || failure instanceof CannotCreateTransactionException
        || failure instanceof TransactionSystemException
        || failure instanceof TransactionTimedOutException
        || failure instanceof TransientDataAccessException
        || failure instanceof RecoverableDataAccessException
        || failure instanceof DataAccessResourceFailureException
        || readOnly(failure);
  }

  private static boolean readOnly(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof SQLException sql
          && (POSTGRES_READ_ONLY.equals(sql.getSQLState())
              || MYSQL_READ_ONLY.contains(sql.getErrorCode()))) {
        return true;
      }
    }
    return false;
  }
}
