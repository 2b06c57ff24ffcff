package io.railrush.kit.seats.internal;

import io.railrush.kit.seats.SeatLayout;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Chooses the seats of one hold among the free ones (the in-process inventory's; the Redis script
 * follows the same rules in Lua): the best of the first {@link #ROW_CHOICES} rows with room for
 * every passenger, else the fewest neighbouring rows (up to {@link #MAX_SPAN}) of one carriage,
 * else any free seats; in each, preferred letters first, then the tightest fit (fewest free
 * neighbouring legs), then the lowest seat number.
 */
final class SeatPicker {

  /**
   * Rows with room for the whole party compared before one is taken: a bound on a hold's work (a
   * hold looks at the first rows with room, not the whole class), wide enough to honour letters and
   * a tight fit most of the time.
   */
  static final int ROW_CHOICES = 8;

  /** The most neighbouring rows a party is seated across before any free seats will do. */
  static final int MAX_SPAN = 3;

  /** A free seat and how loosely it fits: free neighbouring legs (0, 1 or 2). */
  record Free(int seat, int looseness) {}

  private record Pick(List<Integer> seats, int unmet, int looseness) {
    boolean betterThan(Pick other) {
      return other == null
          || unmet < other.unmet
          || (unmet == other.unmet && looseness < other.looseness);
    }
  }

  private SeatPicker() {}

  /**
   * @param free the free seats, in seat order
   * @return the seats, or null when fewer than {@code passengers} are free
   */
  static List<Integer> pick(
      SeatLayout layout, List<Free> free, int passengers, List<Character> preferences) {
    if (free.size() < passengers) {
      return null;
    }
    List<List<Free>> byRow = new ArrayList<>();
    for (int row = 0; row < layout.rows(); row++) {
      byRow.add(new ArrayList<>());
    }
    for (Free seat : free) {
      byRow.get(layout.rowOf(seat.seat())).add(seat);
    }
    Pick best = null;
    int choices = 0;
    for (List<Free> row : byRow) {
      if (row.size() >= passengers) {
        Pick pick = within(layout, row, passengers, preferences);
        if (pick.betterThan(best)) {
          best = pick;
        }
        if (++choices >= ROW_CHOICES || (best.unmet() == 0 && best.looseness() == 0)) {
          break;
        }
      }
    }
    if (best != null) {
      return best.seats();
    }
    // the fewest neighbouring rows of one carriage that seat everyone
    for (int span = 2; span <= Math.min(layout.rowsPerCarriage(), MAX_SPAN); span++) {
      int windows = 0;
      for (int first = 0; first + span <= byRow.size() && windows < ROW_CHOICES; first++) {
        int last = first + span - 1;
        if (first / layout.rowsPerCarriage() != last / layout.rowsPerCarriage()) {
          continue;
        }
        List<Free> window = new ArrayList<>();
        for (int row = first; row <= last; row++) {
          window.addAll(byRow.get(row));
        }
        if (window.size() >= passengers) {
          Pick pick = within(layout, window, passengers, preferences);
          if (pick.betterThan(best)) {
            best = pick;
          }
          windows++;
        }
      }
      if (best != null) {
        return best.seats();
      }
    }
    return within(layout, free, passengers, preferences).seats();
  }

  /** The best {@code passengers} of {@code candidates} (at least that many). */
  private static Pick within(
      SeatLayout layout, List<Free> candidates, int passengers, List<Character> preferences) {
    List<Free> chosen = new ArrayList<>(passengers);
    int unmet = 0;
    for (char letter : preferences) {
      if (chosen.size() == passengers) {
        break;
      }
      Free match =
          candidates.stream()
              .filter(c -> layout.letterOf(c.seat()) == letter && !chosen.contains(c))
              .min(Comparator.comparingInt(Free::looseness).thenComparingInt(Free::seat))
              .orElse(null);
      if (match == null) {
        unmet++;
      } else {
        chosen.add(match);
      }
    }
    candidates.stream()
        .filter(c -> !chosen.contains(c))
        .sorted(Comparator.comparingInt(Free::looseness).thenComparingInt(Free::seat))
        .limit(passengers - chosen.size())
        .forEach(chosen::add);
    int looseness = chosen.stream().mapToInt(Free::looseness).sum();
    return new Pick(chosen.stream().map(Free::seat).sorted().toList(), unmet, looseness);
  }
}
