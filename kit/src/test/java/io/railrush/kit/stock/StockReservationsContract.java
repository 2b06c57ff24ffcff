package io.railrush.kit.stock;

import static org.assertj.core.api.Assertions.assertThat;

import io.railrush.kit.stock.ReserveResult.Outcome;
import io.railrush.kit.testing.Concurrently;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** No oversell and one seat per user, hammered by many threads, for both backends. */
abstract class StockReservationsContract {

  protected abstract StockReservations reservations();

  private final String run = "G1-" + UUID.randomUUID().toString().substring(0, 8);

  @Test
  void fiveThousandUsersThreeAttemptsEachNeverOversellTwoHundredSeats() throws Exception {
    reservations().load(run, 200);
    Map<String, String> reservedBy = new ConcurrentHashMap<>();
    AtomicInteger reserved = new AtomicInteger();
    AtomicInteger nextUser = new AtomicInteger();
    Concurrently.run(
        64,
        () -> {
          for (int u; (u = nextUser.getAndIncrement()) < 15_000; ) {
            String user = "user-" + (u % 5_000);
            ReserveResult result = reservations().reserve(run, user, "E" + u);
            if (result.outcome() == Outcome.RESERVED) {
              reserved.incrementAndGet();
              assertThat(reservedBy.putIfAbsent(user, result.orderNo())).isNull();
            } else if (result.outcome() == Outcome.ALREADY_HOLDING) {
              assertThat(result.orderNo()).isNotNull();
            } else {
              assertThat(result.outcome()).isEqualTo(Outcome.SOLD_OUT);
            }
          }
          return null;
        });
    assertThat(reserved).hasValue(200);
    assertThat(reservedBy).hasSize(200);
    assertThat(reservations().remaining(run)).isZero();
  }

  @Test
  void aReleaseReturnsExactlyThatOrdersSeat() {
    reservations().load(run, 1);
    assertThat(reservations().reserve(run, "alice", "E1").outcome()).isEqualTo(Outcome.RESERVED);
    ReserveResult again = reservations().reserve(run, "alice", "E2");
    assertThat(again.outcome()).isEqualTo(Outcome.ALREADY_HOLDING);
    assertThat(again.orderNo()).isEqualTo("E1");
    assertThat(reservations().reserve(run, "bob", "E3").outcome()).isEqualTo(Outcome.SOLD_OUT);
    assertThat(reservations().release(run, "alice", "E2")).isFalse(); // not the holding order
    assertThat(reservations().release(run, "alice", "E1")).isTrue();
    assertThat(reservations().release(run, "alice", "E1")).isFalse(); // twice returns nothing
    assertThat(reservations().remaining(run)).isEqualTo(1);
    assertThat(reservations().reserve(run, "bob", "E3").outcome()).isEqualTo(Outcome.RESERVED);
  }

  @Test
  void aRunNotLoadedIsSaidSo() {
    assertThat(reservations().reserve("never-" + run, "alice", "E1").outcome())
        .isEqualTo(Outcome.NOT_LOADED);
    assertThat(reservations().remaining("never-" + run)).isEqualTo(-1);
  }

  /** Re-seeding while seats are held must not offer a held seat again. */
  @Test
  void reloadingTheStockKeepsHeldSeatsHeld() {
    reservations().load(run, 3);
    reservations().reserve(run, "alice", "E1");
    reservations().reserve(run, "bob", "E2");
    reservations().load(run, 3); // e.g. another node starting the sale again
    assertThat(reservations().remaining(run)).isEqualTo(1);
    assertThat(reservations().reserve(run, "carol", "E3").outcome()).isEqualTo(Outcome.RESERVED);
    assertThat(reservations().reserve(run, "dave", "E4").outcome()).isEqualTo(Outcome.SOLD_OUT);
  }

  /**
   * After the counter is lost (Redis flush), the database's holders come back and their seats stay
   * taken.
   */
  @Test
  void restoringFromTheSourceOfTruthKeepsEveryHolderAndCountsTheirSeats() {
    reservations().restore(run, 5, Map.of("alice", "E1", "bob", "E2"));
    assertThat(reservations().remaining(run)).isEqualTo(3);
    assertThat(reservations().reserve(run, "alice", "E9").orderNo()).isEqualTo("E1");
    assertThat(reservations().reserve(run, "carol", "E3").outcome()).isEqualTo(Outcome.RESERVED);
    // a second restore with an older view never replaces a holder nor frees a seat held since
    reservations().restore(run, 5, Map.of("alice", "E0", "dave", "E4"));
    assertThat(reservations().holders(run))
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("alice", "E1", "bob", "E2", "carol", "E3", "dave", "E4"));
    assertThat(reservations().remaining(run)).isEqualTo(1);
    reservations().restore(run, 2, Map.of()); // fewer seats than holders: nothing below zero
    assertThat(reservations().remaining(run)).isZero();
  }
}
