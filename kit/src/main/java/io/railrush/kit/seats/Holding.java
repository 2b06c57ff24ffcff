package io.railrush.kit.seats;

import java.util.ArrayList;
import java.util.List;

/**
 * The seats one holder (an order) has on legs {@code from} to {@code to − 1} of one class: every
 * seat on every one of those legs, nothing else.
 *
 * @param from the first leg (0-based: leg {@code i} runs from stop {@code i} to stop {@code i + 1})
 * @param to one past the last leg (the stop the journey ends at)
 * @param seats seat indexes, one per passenger (see {@link SeatLayout})
 */
public record Holding(int from, int to, List<Integer> seats) {

  public Holding {
    if (from < 0 || to <= from || to > SegmentInventory.MAX_LEGS) {
      throw new IllegalArgumentException("need 0 <= from < to <= 63, not " + from + ", " + to);
    }
    if (seats == null || seats.isEmpty() || seats.stream().distinct().count() != seats.size()) {
      throw new IllegalArgumentException("seats must be distinct and not empty: " + seats);
    }
    seats = List.copyOf(seats);
  }

  /** Whether its legs and {@code other}'s share one. */
  public boolean overlaps(int otherFrom, int otherTo) {
    return from < otherTo && otherFrom < to;
  }

  /** {@code from,to,seat,seat,…}: how a holding is stored. */
  public String encode() {
    StringBuilder text = new StringBuilder().append(from).append(',').append(to);
    for (int seat : seats) {
      text.append(',').append(seat);
    }
    return text.toString();
  }

  public static Holding decode(String text) {
    String[] parts = text.split(",");
    List<Integer> seats = new ArrayList<>(parts.length - 2);
    for (int i = 2; i < parts.length; i++) {
      seats.add(Integer.parseInt(parts[i]));
    }
    return new Holding(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]), seats);
  }
}
