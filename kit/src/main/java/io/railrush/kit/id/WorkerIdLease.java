package io.railrush.kit.id;

/**
 * This node's worker id, leased so that no two live nodes share one. The lease also remembers, per
 * id, a time bound beyond every number its previous holders issued, so a node that takes over an id
 * (even with a clock that went back) continues after them.
 */
public interface WorkerIdLease extends AutoCloseable {

  /** The id, 0–1023. */
  int workerId();

  /** False from the moment the lease may be lost (session suspended, renewal failed, expired). */
  boolean isValid();

  /** Numbers must be issued for times strictly after this (epoch ms). */
  long issuedBeforeMillis();

  /**
   * Where the id is leased, as named by the {@link WorkerIdLostException} of an invalid lease:
   * {@code redis} or {@code zookeeper} for the kit's leases; {@code in-process} unless a lease says
   * otherwise.
   */
  default String backend() {
    return "in-process";
  }

  @Override
  default void close() {}

  /** A fixed id, for a single JVM (embedded mode). */
  static WorkerIdLease fixed(int workerId) {
    if (workerId < 0 || workerId > OrderNumberGenerator.MAX_WORKER_ID) {
      throw new IllegalArgumentException(
          "worker id must be 0.." + OrderNumberGenerator.MAX_WORKER_ID);
    }
    return new WorkerIdLease() {
      @Override
      public int workerId() {
        return workerId;
      }

      @Override
      public boolean isValid() {
        return true;
      }

      @Override
      public long issuedBeforeMillis() {
        return 0;
      }
    };
  }
}
