package io.railrush.app.infra;

import io.railrush.kit.BackendUnavailableException;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.transaction.TransactionException;

/**
 * One answer, for every worker that retries, to "is this failure the store's or the work's?". A
 * store that is away, slow, read-only, failing over or deadlocked is an outage: the work waits and
 * is tried again without counting it against the work, so an outage never dead-letters a message,
 * fails a grab or sends a payment to a person. A constraint the work breaks, or anything that is
 * not the database's (a bug, unreadable input), is the work's own: after a few tries it goes to a
 * person.
 */
public final class Outages {

  private Outages() {}

  public static boolean isOutage(Throwable failure) {
    return failure instanceof BackendUnavailableException
        || failure instanceof TransactionException
        || (failure instanceof DataAccessException
            && !(failure instanceof DataIntegrityViolationException));
  }
}
