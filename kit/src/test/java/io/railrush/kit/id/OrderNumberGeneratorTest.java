package io.railrush.kit.id;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class OrderNumberGeneratorTest {

  private final AtomicLong now = new AtomicLong(System.currentTimeMillis());

  @Test
  void numbersAreUniqueAndIncreasePerThreadUnderContention() throws Exception {
    OrderNumberGenerator generator = new OrderNumberGenerator(WorkerIdLease.fixed(7));
    int threads = 8;
    int perThread = 50_000;
    List<Future<long[]>> results = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
      for (int t = 0; t < threads; t++) {
        results.add(
            pool.submit(
                () -> {
                  long[] ids = new long[perThread];
                  for (int i = 0; i < perThread; i++) {
                    ids[i] = generator.nextId();
                  }
                  return ids;
                }));
      }
    }
    Set<Long> all = new HashSet<>();
    for (Future<long[]> result : results) {
      long[] ids = result.get();
      for (int i = 0; i < ids.length; i++) {
        assertThat(all.add(ids[i])).isTrue();
        if (i > 0) {
          assertThat(ids[i]).isGreaterThan(ids[i - 1]);
        }
        assertThat(OrderNumberGenerator.workerOf(ids[i])).isEqualTo(7);
      }
    }
    assertThat(all).hasSize(threads * perThread);
    String number = generator.next();
    assertThat(number).matches("E\\d{19}");
    assertThat(OrderNumberGenerator.workerOf(OrderNumberGenerator.parse(number))).isEqualTo(7);
  }

  @Test
  void aNumberTellsWhenItWasIssued() {
    now.set(java.time.Instant.parse("2026-11-25T08:00:00.123Z").toEpochMilli());
    String number = new OrderNumberGenerator(WorkerIdLease.fixed(3), now::get, 1_000).next();
    assertThat(OrderNumberGenerator.issuedAt(number))
        .isEqualTo(java.time.Instant.parse("2026-11-25T08:00:00.123Z"));
  }

  @Test
  void aSmallClockStepBackIsAbsorbedAndALargeOneRefused() {
    OrderNumberGenerator generator =
        new OrderNumberGenerator(WorkerIdLease.fixed(1), now::get, 1_000);
    long before = generator.nextId();
    now.addAndGet(-500);
    long afterSmallStep = generator.nextId();
    assertThat(afterSmallStep).isGreaterThan(before);
    now.addAndGet(-5_000);
    assertThatThrownBy(generator::nextId)
        .isInstanceOf(OrderNumberGenerator.ClockMovedBackwardsException.class);
    now.addAndGet(5_600);
    assertThat(generator.nextId()).isGreaterThan(afterSmallStep);
  }

  @Test
  void aNodeWithoutAValidLeaseIssuesNothing() {
    AtomicBoolean valid = new AtomicBoolean(true);
    WorkerIdLease lease =
        new WorkerIdLease() {
          @Override
          public int workerId() {
            return 3;
          }

          @Override
          public boolean isValid() {
            return valid.get();
          }

          @Override
          public long issuedBeforeMillis() {
            return 0;
          }
        };
    OrderNumberGenerator generator = new OrderNumberGenerator(lease);
    generator.nextId();
    valid.set(false);
    assertThatThrownBy(generator::nextId).isInstanceOf(WorkerIdLostException.class);
    valid.set(true);
    generator.nextId();
  }

  @Test
  void aTakenOverIdContinuesAfterItsPreviousHolder() {
    long previousHolderBound = now.get() + 60_000; // the old holder's clock ran a minute ahead
    WorkerIdLease lease =
        new WorkerIdLease() {
          @Override
          public int workerId() {
            return 9;
          }

          @Override
          public boolean isValid() {
            return true;
          }

          @Override
          public long issuedBeforeMillis() {
            return previousHolderBound;
          }
        };
    long id = new OrderNumberGenerator(lease, now::get, 1_000).nextId();
    long millis = (id >>> 22) + OrderNumberGenerator.EPOCH_MILLIS;
    assertThat(millis).isGreaterThanOrEqualTo(previousHolderBound);
  }

  /** Regression: a node that got the same id back skipped the new floor of its previous holder. */
  @Test
  void theSameIdLeasedAgainStillContinuesAfterItsInterimHolder() {
    AtomicLong floor = new AtomicLong(0);
    WorkerIdLease lease =
        new WorkerIdLease() {
          @Override
          public int workerId() {
            return 5;
          }

          @Override
          public boolean isValid() {
            return true;
          }

          @Override
          public long issuedBeforeMillis() {
            return floor.get();
          }
        };
    OrderNumberGenerator generator = new OrderNumberGenerator(lease, now::get, 1_000);
    generator.nextId();
    long interimHolderBound = now.get() + 30_000; // another node held id 5 meanwhile, clock ahead
    floor.set(interimHolderBound);
    long id = generator.nextId();
    assertThat((id >>> 22) + OrderNumberGenerator.EPOCH_MILLIS)
        .isGreaterThanOrEqualTo(interimHolderBound);
  }
}
