package io.railrush.kit.seats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.railrush.kit.testing.Concurrently;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * What every segment inventory guarantees, checked on each backend: seats sold by the leg, all or
 * none, exact releases, remaining equal to a recount, together in a row, letters honoured; then
 * random interleavings of holds and releases against a brute-force model, and many threads at once.
 */
abstract class SegmentInventoryContract {

  /** 4 stops (3 legs); SECOND-class rows of 5, 2 rows per carriage. */
  static final SeatLayout TEN_SEATS = new SeatLayout(10, "ABCDF", 2);

  protected abstract SegmentInventory inventory();

  private String loaded(int legs, SeatLayout layout) {
    String key = "run-" + UUID.randomUUID() + ":SECOND";
    inventory().restore(key, legs, layout, Map.of());
    return key;
  }

  private HoldResult hold(String key, String holder, int from, int to, int passengers) {
    return inventory().hold(key, holder, from, to, passengers, List.of());
  }

  @Test
  void aSeatSoldForTheFirstLegsIsSoldAgainForTheLastOnes() {
    String key = loaded(3, new SeatLayout(1, "A", 1));
    assertThat(hold(key, "o1", 0, 1, 1).outcome()).isEqualTo(HoldResult.Outcome.HELD);
    assertThat(hold(key, "o2", 0, 2, 1).outcome()).isEqualTo(HoldResult.Outcome.SOLD_OUT);
    assertThat(inventory().remaining(key, 1, 3)).isEqualTo(1);
    assertThat(hold(key, "o3", 1, 3, 1).outcome()).isEqualTo(HoldResult.Outcome.HELD);
    assertThat(inventory().remaining(key, 0, 3)).isZero();
    assertThat(inventory().remaining(key, 0, 1)).isZero();
  }

  /**
   * The release a per-pair design that resets rows gets wrong: buy A→B and B→C on one seat, give
   * back A→B; A→C must stay sold out on that seat, because B→C is still held. A release clears its
   * own legs only.
   */
  @Test
  void releasingOneJourneyNeverFreesALegAnotherTicketHolds() {
    String key = loaded(2, new SeatLayout(1, "A", 1));
    assertThat(hold(key, "ab", 0, 1, 1).outcome()).isEqualTo(HoldResult.Outcome.HELD);
    assertThat(hold(key, "bc", 1, 2, 1).outcome()).isEqualTo(HoldResult.Outcome.HELD);
    assertThat(inventory().release(key, "ab")).isTrue();
    assertThat(inventory().remaining(key, 0, 2)).isZero();
    assertThat(hold(key, "ac", 0, 2, 1).outcome()).isEqualTo(HoldResult.Outcome.SOLD_OUT);
    assertThat(inventory().remaining(key, 0, 1)).isEqualTo(1);
    assertThat(inventory().release(key, "ab")).as("twice").isFalse();
  }

  @Test
  void allOrNoneAPartyTooBigForWhatIsLeftChangesNothing() {
    String key = loaded(3, TEN_SEATS);
    assertThat(hold(key, "eight", 0, 3, 8).outcome()).isEqualTo(HoldResult.Outcome.HELD);
    assertThat(hold(key, "three", 1, 2, 3).outcome()).isEqualTo(HoldResult.Outcome.SOLD_OUT);
    assertThat(inventory().holdings(key)).containsOnlyKeys("eight");
    assertThat(inventory().remaining(key, 1, 2)).isEqualTo(2);
    assertThat(hold(key, "two", 1, 2, 2).outcome()).isEqualTo(HoldResult.Outcome.HELD);
  }

  @Test
  void aRepeatedHoldAnswersTheFirstAndChangesNothing() {
    String key = loaded(3, TEN_SEATS);
    HoldResult first = hold(key, "o1", 0, 2, 2);
    HoldResult again = hold(key, "o1", 0, 2, 2);
    assertThat(again.outcome()).isEqualTo(HoldResult.Outcome.ALREADY_HELD);
    assertThat(again.holding()).isEqualTo(first.holding());
    assertThat(inventory().remaining(key, 0, 2)).isEqualTo(8);
  }

  @Test
  void aPartySitsInOneRowWhenOneHasRoomElseInNeighbouringRowsOfOneCarriage() {
    SeatLayout layout = new SeatLayout(20, "ABCDF", 2); // carriages of 2 rows of 5
    String key = loaded(1, layout);
    // row 0 keeps 2 free, row 1 keeps 3 free
    assertThat(inventory().hold(key, "x", 0, 1, 3, List.of('A', 'B', 'C')).holding().seats())
        .containsExactly(0, 1, 2);
    assertThat(inventory().hold(key, "y", 0, 1, 2, List.of('A', 'B')).holding().seats())
        .containsExactly(5, 6);
    Holding three = hold(key, "family", 0, 1, 3).holding();
    assertThat(three.seats()).allMatch(seat -> layout.rowOf(seat) == 1);
    // 2 free in row 0 (carriage 0) and 5 in each row of carriage 1: four go to one row there
    Holding four = hold(key, "four", 0, 1, 4).holding();
    assertThat(four.seats())
        .extracting(layout::rowOf)
        .containsOnly(four.seats().stream().map(layout::rowOf).findFirst().orElseThrow());
    assertThat(four.seats()).allMatch(seat -> layout.carriageOf(seat) == 1);
  }

  @Test
  void seatLettersAreHonouredWhenFreeOnTheWholeJourney() {
    String key = loaded(3, TEN_SEATS);
    Holding windows = inventory().hold(key, "w", 0, 3, 2, List.of('A', 'F')).holding();
    assertThat(windows.seats()).extracting(TEN_SEATS::letterOf).containsExactlyInAnyOrder('A', 'F');
    Holding aisle = inventory().hold(key, "c", 1, 2, 1, List.of('C')).holding();
    assertThat(aisle.seats()).extracting(TEN_SEATS::letterOf).containsExactly('C');
  }

  @Test
  void aShortJourneyTakesASeatWhoseNeighbouringLegsAreSoldSoLongJourneysStaySellable() {
    String key = loaded(3, new SeatLayout(2, "AB", 1));
    // seat 1 (B) sold on legs 0 and 2: its only gap is leg 1
    assertThat(inventory().hold(key, "head", 0, 1, 1, List.of('B')).holding().seats())
        .containsExactly(1);
    assertThat(inventory().hold(key, "tail", 2, 3, 1, List.of('B')).holding().seats())
        .containsExactly(1);
    // the leg-1 journey takes that gap, not the lower seat 0, which stays free on the whole run
    assertThat(hold(key, "middle", 1, 2, 1).holding().seats()).containsExactly(1);
    assertThat(inventory().remaining(key, 0, 3)).isEqualTo(1);
  }

  @Test
  void aRestoreAfterTheStateWasLostSellsNoHeldSeatAgain() {
    String key = loaded(3, TEN_SEATS);
    Holding held = hold(key, "kept", 0, 2, 3).holding();
    inventory().restore(key, 3, TEN_SEATS, Map.of("from-db", new Holding(2, 3, List.of(9))));
    assertThat(inventory().holdings(key)).containsOnlyKeys("kept", "from-db");
    assertThat(inventory().remaining(key, 0, 2)).isEqualTo(7);
    assertThat(inventory().remaining(key, 2, 3)).isEqualTo(9);
    assertThat(inventory().holdings(key).get("kept")).isEqualTo(held);
  }

  @Test
  void holdsAndHoldingsThatCannotFitAreRefusedAndChangeNothing() {
    String key = loaded(3, TEN_SEATS);
    assertThatThrownBy(() -> hold(key, "past", 1, 4, 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> inventory().remaining(key, 0, 4))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> hold(key, "none", 0, 1, 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> inventory().hold(key, "lower", 0, 1, 1, List.of('a')))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                inventory()
                    .restore(key, 3, TEN_SEATS, Map.of("bad", new Holding(0, 1, List.of(10)))))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                inventory()
                    .restore(key, 3, TEN_SEATS, Map.of("long", new Holding(0, 4, List.of(1)))))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(inventory().holdings(key)).isEmpty();
    assertThat(inventory().remaining(key, 0, 3)).isEqualTo(10);
  }

  /** A party wider than any row's free seats sits in neighbouring rows of one carriage. */
  @Test
  void aPartyWiderThanARowSitsInNeighbouringRowsOfOneCarriage() {
    SeatLayout layout = new SeatLayout(20, "ABCDF", 2); // carriages of 2 rows of 5
    String key = loaded(1, layout);
    Holding seven = hold(key, "seven", 0, 1, 7).holding();
    assertThat(seven.seats()).extracting(layout::carriageOf).containsOnly(0);
    // 3 left in carriage 0 (row 1), 10 in carriage 1: six go to carriage 1, not across carriages
    Holding six = hold(key, "six", 0, 1, 6).holding();
    assertThat(six.seats()).extracting(layout::carriageOf).containsOnly(1);
  }

  @Test
  void notLoadedIsSaidNotGuessed() {
    assertThat(hold("never-" + UUID.randomUUID(), "o", 0, 1, 1).outcome())
        .isEqualTo(HoldResult.Outcome.NOT_LOADED);
    assertThat(inventory().remaining("never-" + UUID.randomUUID(), 0, 1)).isEqualTo(-1);
  }

  /**
   * Random interleavings of holds (random journeys, 1–5 passengers) and releases, checked after
   * every step against a brute-force model: no two holdings on one seat with a leg in common, every
   * remaining equal to a recount, a refused hold exactly when the model has no room.
   */
  @Test
  void randomInterleavingsKeepEverySeatLegSoldOnceAndRemainingExact() {
    for (long seed = 1; seed <= 20; seed++) {
      Random random = new Random(seed);
      int legs = 1 + random.nextInt(12);
      SeatLayout layout = new SeatLayout(1 + random.nextInt(24), "ABCDF", 1 + random.nextInt(3));
      String key = loaded(legs, layout);
      Map<String, Holding> model = new HashMap<>();
      for (int step = 0; step < 60; step++) {
        if (!model.isEmpty() && random.nextInt(4) == 0) {
          String holder = new ArrayList<>(model.keySet()).get(random.nextInt(model.size()));
          assertThat(inventory().release(key, holder)).isTrue();
          model.remove(holder);
        } else {
          int from = random.nextInt(legs);
          int to = from + 1 + random.nextInt(legs - from);
          int passengers = 1 + random.nextInt(5);
          String holder = "h" + step;
          HoldResult result = hold(key, holder, from, to, passengers);
          int free = freeInModel(model, layout, from, to);
          if (free >= passengers) {
            assertThat(result.outcome())
                .as("seed %d step %d", seed, step)
                .isEqualTo(HoldResult.Outcome.HELD);
            assertThat(result.holding().seats()).hasSize(passengers);
            assertThat(result.holding().from()).isEqualTo(from);
            assertThat(result.holding().to()).isEqualTo(to);
            model.put(holder, result.holding());
          } else {
            assertThat(result.outcome())
                .as("seed %d step %d", seed, step)
                .isEqualTo(HoldResult.Outcome.SOLD_OUT);
          }
        }
        assertConsistent(key, model, layout, legs);
      }
    }
  }

  /** 16 threads hold and release random journeys on one class; then the audit. */
  @Test
  void manyThreadsAtOnceNeverSellOneSeatLegTwice() throws Exception {
    int legs = 9;
    SeatLayout layout = new SeatLayout(60, "ABCDF", 6);
    String key = loaded(legs, layout);
    AtomicInteger next = new AtomicInteger();
    Map<String, Holding> kept = new ConcurrentHashMap<>();
    Concurrently.run(
        16,
        () -> {
          Random random = new Random(next.incrementAndGet());
          for (int i = 0; i < 60; i++) {
            int from = random.nextInt(legs);
            int to = from + 1 + random.nextInt(legs - from);
            String holder = "t" + next.incrementAndGet();
            HoldResult result = hold(key, holder, from, to, 1 + random.nextInt(3));
            if (result.outcome() == HoldResult.Outcome.HELD) {
              if (random.nextInt(3) == 0) {
                assertThat(inventory().release(key, holder)).isTrue();
              } else {
                kept.put(holder, result.holding());
              }
            }
          }
          return null;
        });
    assertThat(inventory().holdings(key)).isEqualTo(kept);
    assertConsistent(key, kept, layout, legs);
  }

  private void assertConsistent(
      String key, Map<String, Holding> model, SeatLayout layout, int legs) {
    assertThat(inventory().holdings(key)).isEqualTo(model);
    List<Holding> all = List.copyOf(model.values());
    for (int i = 0; i < all.size(); i++) {
      for (int j = i + 1; j < all.size(); j++) {
        Holding a = all.get(i);
        Holding b = all.get(j);
        if (a.overlaps(b.from(), b.to())) {
          assertThat(a.seats()).doesNotContainAnyElementsOf(b.seats());
        }
      }
    }
    for (int from = 0; from < legs; from++) {
      for (int to = from + 1; to <= legs; to++) {
        assertThat(inventory().remaining(key, from, to))
            .as("remaining [%d, %d)", from, to)
            .isEqualTo(freeInModel(model, layout, from, to));
      }
    }
  }

  private static int freeInModel(Map<String, Holding> model, SeatLayout layout, int from, int to) {
    boolean[] taken = new boolean[layout.seats()];
    for (Holding holding : model.values()) {
      if (holding.overlaps(from, to)) {
        holding.seats().forEach(seat -> taken[seat] = true);
      }
    }
    int free = 0;
    for (boolean t : taken) {
      free += t ? 0 : 1;
    }
    return free;
  }
}
