package io.railrush.kit.batch;

import io.railrush.kit.BackendUnavailableException;

/** Too many items are already waiting for the group writer: the caller should come back later. */
public final class GroupCommitFullException extends BackendUnavailableException {
  GroupCommitFullException(String backend, int waiting) {
    super(backend, waiting + " items are already waiting to be written to " + backend);
  }
}
