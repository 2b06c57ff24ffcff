package io.railrush.kit.seats.internal;

import io.railrush.kit.seats.HoldResult;
import io.railrush.kit.seats.Holding;
import io.railrush.kit.seats.SeatLayout;
import io.railrush.kit.seats.SegmentInventory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The in-process inventory (embedded mode): per class, each seat's sold legs as one 64-bit mask,
 * changed under the class's monitor. Same rules as the Redis script.
 */
public final class InProcessSegmentInventory implements SegmentInventory {

  private static final class ClassSeats {
    final int legs;
    final SeatLayout layout;
    final long[] sold;
    final Map<String, Holding> holdings = new LinkedHashMap<>();

    /** Replaced by a restore: callers that locked it look the class up again. */
    boolean retired;

    ClassSeats(int legs, SeatLayout layout) {
      this.legs = legs;
      this.layout = layout;
      this.sold = new long[layout.seats()];
    }

    void mark(Holding holding, boolean taken) {
      long legs = mask(holding.from(), holding.to());
      for (int seat : holding.seats()) {
        sold[seat] = taken ? sold[seat] | legs : sold[seat] & ~legs;
      }
    }
  }

  private final Map<String, ClassSeats> classes = new ConcurrentHashMap<>();

  /** Bits {@code from} to {@code to − 1} (legs ≤ 63, so {@code 1L << to} never overflows). */
  static long mask(int from, int to) {
    return ((1L << to) - 1) & ~((1L << from) - 1);
  }

  @Override
  public void restore(String key, int legs, SeatLayout layout, Map<String, Holding> holdings) {
    SegmentInventory.checkHoldings(legs, layout, holdings);
    classes.compute(
        key,
        (k, before) -> {
          ClassSeats now = new ClassSeats(legs, layout);
          if (before != null) {
            synchronized (before) { // no hold or release of the old state half seen
              before.retired = true;
              now.holdings.putAll(before.holdings);
            }
          }
          holdings.forEach(now.holdings::putIfAbsent);
          now.holdings.values().forEach(h -> now.mark(h, true));
          return now;
        });
  }

  @Override
  public HoldResult hold(
      String key, String holder, int from, int to, int passengers, List<Character> preferences) {
    SegmentInventory.checkHold(from, to, passengers, preferences);
    return locked(
        key,
        new HoldResult(HoldResult.Outcome.NOT_LOADED, null),
        seats -> holdLocked(seats, holder, from, to, passengers, preferences));
  }

  private static HoldResult holdLocked(
      ClassSeats seats,
      String holder,
      int from,
      int to,
      int passengers,
      List<Character> preferences) {
    checkJourney(seats.legs, from, to);
    Holding held = seats.holdings.get(holder);
    if (held != null) {
      return new HoldResult(HoldResult.Outcome.ALREADY_HELD, held);
    }
    long journey = mask(from, to);
    long before = from == 0 ? 0 : mask(from - 1, from);
    long after = to == seats.legs ? 0 : mask(to, to + 1);
    List<SeatPicker.Free> free = new ArrayList<>();
    for (int seat = 0; seat < seats.sold.length; seat++) {
      long sold = seats.sold[seat];
      if ((sold & journey) == 0) {
        int looseness =
            (before != 0 && (sold & before) == 0 ? 1 : 0)
                + (after != 0 && (sold & after) == 0 ? 1 : 0);
        free.add(new SeatPicker.Free(seat, looseness));
      }
    }
    List<Integer> chosen = SeatPicker.pick(seats.layout, free, passengers, preferences);
    if (chosen == null) {
      return new HoldResult(HoldResult.Outcome.SOLD_OUT, null);
    }
    Holding holding = new Holding(from, to, chosen);
    seats.holdings.put(holder, holding);
    seats.mark(holding, true);
    return new HoldResult(HoldResult.Outcome.HELD, holding);
  }

  @Override
  public boolean release(String key, String holder) {
    return locked(
        key,
        false,
        seats -> {
          Holding holding = seats.holdings.remove(holder);
          if (holding == null) {
            return false;
          }
          seats.mark(holding, false); // no two live holdings share a seat-leg: only its own bits
          return true;
        });
  }

  @Override
  public int remaining(String key, int from, int to) {
    return locked(
        key,
        -1,
        seats -> {
          checkJourney(seats.legs, from, to);
          long journey = mask(from, to);
          int free = 0;
          for (long sold : seats.sold) {
            if ((sold & journey) == 0) {
              free++;
            }
          }
          return free;
        });
  }

  @Override
  public Map<String, Holding> holdings(String key) {
    return locked(key, Map.of(), seats -> new HashMap<>(seats.holdings));
  }

  /**
   * Runs {@code work} under the class's monitor, on its current state (not one a restore replaced).
   */
  private <T> T locked(String key, T notLoaded, Function<ClassSeats, T> work) {
    while (true) {
      ClassSeats seats = classes.get(key);
      if (seats == null) {
        return notLoaded;
      }
      synchronized (seats) {
        if (!seats.retired) {
          return work.apply(seats);
        }
      }
    }
  }

  static void checkJourney(int legs, int from, int to) {
    if (from < 0 || to <= from || to > legs) {
      throw new IllegalArgumentException(
          "journey [" + from + ", " + to + ") is not within " + legs + " legs");
    }
  }
}
