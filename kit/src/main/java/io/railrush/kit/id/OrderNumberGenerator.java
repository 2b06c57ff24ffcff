package io.railrush.kit.id;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Unique, time-ordered 64-bit ids without a lock per number (Snowflake layout: 41 bits of
 * milliseconds since 2026-01-01, 10 bits of worker id, 12 bits of sequence), rendered as
 * 12306-style order numbers ({@code E} and 19 digits).
 *
 * <p>Guarantees: numbers from one generator strictly increase; numbers from generators with
 * different worker ids never collide; a generator whose worker-id lease is not valid issues nothing
 * ({@link WorkerIdLostException}). A clock that steps back by up to {@code maxBackwardsMillis} is
 * absorbed by continuing from the last time used (borrowing milliseconds); a larger step refuses to
 * issue until the clock catches up.
 */
public final class OrderNumberGenerator {

  public static final long EPOCH_MILLIS = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
  public static final int MAX_WORKER_ID = 1023;
  private static final int SEQUENCE_BITS = 12;
  private static final int WORKER_BITS = 10;
  private static final long MAX_SEQUENCE = (1L << SEQUENCE_BITS) - 1;

  private final WorkerIdLease lease;
  private final LongSupplier clockMillis;
  private final long maxBackwardsMillis;
  // (millis since epoch << 12) | sequence: one CAS per number, no lock
  private final AtomicLong last = new AtomicLong();
  private final AtomicLong highestClockReading = new AtomicLong();
  private volatile int workerOfLast = -1;
  private volatile long floorApplied = -1;

  public OrderNumberGenerator(WorkerIdLease lease) {
    this(lease, System::currentTimeMillis, 1_000);
  }

  public OrderNumberGenerator(
      WorkerIdLease lease, LongSupplier clockMillis, long maxBackwardsMillis) {
    this.lease = lease;
    this.clockMillis = clockMillis;
    this.maxBackwardsMillis = maxBackwardsMillis;
  }

  /** The next id. */
  public long nextId() {
    // the clock first: a pause between the validity check and the clock read must not let us
    // issue numbers for a time the lease no longer covered
    long now = clockMillis.getAsLong() - EPOCH_MILLIS;
    if (!lease.isValid()) {
      throw new WorkerIdLostException(
          lease.backend(), "worker id lease is not valid: not issuing numbers");
    }
    int worker = lease.workerId();
    long issuedBefore = lease.issuedBeforeMillis();
    if (worker != workerOfLast || issuedBefore != floorApplied) {
      // a new or re-leased id (even the same id again): continue after everything its previous
      // holders may have issued
      long floor = Math.max(0, issuedBefore - EPOCH_MILLIS);
      last.accumulateAndGet(floor << SEQUENCE_BITS, Math::max);
      workerOfLast = worker;
      floorApplied = issuedBefore;
    }
    long highest = highestClockReading.accumulateAndGet(now, Math::max);
    if (now < highest - maxBackwardsMillis) {
      throw new ClockMovedBackwardsException(
          "clock stepped " + (highest - now) + " ms back; refusing until it catches up");
    }
    while (true) {
      long previous = last.get();
      long previousMillis = previous >>> SEQUENCE_BITS;
      long next =
          now > previousMillis
              ? now << SEQUENCE_BITS
              : previous
                  + 1; // same or earlier millisecond: next sequence, overflowing into the next
      // millisecond
      if (last.compareAndSet(previous, next)) {
        long millis = next >>> SEQUENCE_BITS;
        long sequence = next & MAX_SEQUENCE;
        return (millis << (WORKER_BITS + SEQUENCE_BITS))
            | ((long) worker << SEQUENCE_BITS)
            | sequence;
      }
    }
  }

  /** The next 12306-style order number. */
  public String next() {
    return format(nextId());
  }

  public static String format(long id) {
    return "E" + String.format("%019d", id);
  }

  public static long parse(String orderNumber) {
    return Long.parseLong(orderNumber.substring(1));
  }

  /** When the number was issued (to the millisecond, by its issuer's clock). */
  public static Instant issuedAt(String orderNumber) {
    return Instant.ofEpochMilli(
        (parse(orderNumber) >>> (WORKER_BITS + SEQUENCE_BITS)) + EPOCH_MILLIS);
  }

  public static int workerOf(long id) {
    return (int) ((id >>> SEQUENCE_BITS) & MAX_WORKER_ID);
  }

  /** Thrown instead of risking a duplicate. */
  public static final class ClockMovedBackwardsException extends IllegalStateException {
    ClockMovedBackwardsException(String message) {
      super(message);
    }
  }
}
