package io.railrush.kit.id;

/** This node has no valid worker id right now; it issues no numbers until it leases one again. */
public class WorkerIdLostException extends IllegalStateException {
  public WorkerIdLostException(String message) {
    super(message);
  }
}
