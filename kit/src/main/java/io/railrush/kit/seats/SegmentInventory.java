package io.railrush.kit.seats;

import io.railrush.kit.redis.RedisConnector;
import io.railrush.kit.seats.internal.InProcessSegmentInventory;
import io.railrush.kit.seats.internal.RedisSegmentInventory;
import java.util.List;
import java.util.Map;

/**
 * Seats of one class of one train run, sold by the leg (区间余票): a seat sold from stop 0 to stop 2 is
 * free again from stop 2 on. Per leg, a bitset of the seats sold on it; a journey over legs {@code
 * [from, to)} may take a seat whose bits are clear on all of them, and taking it sets exactly those
 * bits; giving it back clears exactly those bits, never another holder's. No state per pair of
 * stops: a hold costs work in the journey's legs and the class's seats, not in stops².
 *
 * <p>A hold is all or none: every passenger gets a seat free on every leg, or nothing changes. It
 * prefers, in order: all passengers in one row; else neighbouring rows of one carriage; else any
 * free seats. Within that it honours seat-letter preferences (选座) where it can, and prefers seats
 * whose neighbouring legs are taken (a tight fit), so the seats free over long stretches stay free
 * for long journeys.
 *
 * <p>{@code key} names one class of one run (e.g. {@code "G1-20261220:SECOND"}); in Redis every key
 * of one class shares a hash tag, so a Redis Cluster serves a hold from one node in one script.
 */
public interface SegmentInventory {

  /** Legs a class may have: a run stops at 64 stations at most. */
  int MAX_LEGS = 63;

  /** Passengers of one hold at most: a hold's work grows with them, and Redis runs it alone. */
  int MAX_PASSENGERS = 16;

  /**
   * Refuses (IllegalArgumentException) a hold that no class could take: a journey outside 0–63, 0
   * or more than {@link #MAX_PASSENGERS} passengers, more letters than passengers or one not A–Z.
   * Both backends check this before anything else.
   */
  static void checkHold(int from, int to, int passengers, List<Character> preferences) {
    if (from < 0 || to <= from || to > MAX_LEGS) {
      throw new IllegalArgumentException("journey [" + from + ", " + to + ")");
    }
    if (passengers < 1 || passengers > MAX_PASSENGERS) {
      throw new IllegalArgumentException("passengers must be 1-" + MAX_PASSENGERS);
    }
    if (preferences.size() > passengers
        || !preferences.stream().allMatch(c -> c != null && c >= 'A' && c <= 'Z')) {
      throw new IllegalArgumentException("at most one letter A-Z per passenger: " + preferences);
    }
  }

  /**
   * Refuses (IllegalArgumentException) holdings that do not fit the class, before anything is
   * written: a journey past its legs, a seat past its seats.
   */
  static void checkHoldings(int legs, SeatLayout layout, Map<String, Holding> holdings) {
    if (legs < 1 || legs > MAX_LEGS) {
      throw new IllegalArgumentException("legs must be 1-" + MAX_LEGS + ", not " + legs);
    }
    holdings.forEach(
        (holder, h) -> {
          if (h.to() > legs || h.seats().stream().anyMatch(s -> s < 0 || s >= layout.seats())) {
            throw new IllegalArgumentException(
                holder + "'s holding " + h.encode() + " does not fit " + legs + " legs, " + layout);
          }
        });
  }

  /**
   * Loads the class, or re-seeds it after its state was lost or drifted: records each of {@code
   * holdings} (holder → seats, from the database) whose holder holds nothing here yet, then sets
   * every leg's sold seats from all the holdings held now, in one step.
   */
  void restore(String key, int legs, SeatLayout layout, Map<String, Holding> holdings);

  /**
   * Holds {@code passengers} seats on legs {@code [from, to)} for {@code holder}, all or none.
   *
   * @param preferences seat letters wanted, at most one per passenger (may be empty)
   */
  HoldResult hold(
      String key, String holder, int from, int to, int passengers, List<Character> preferences);

  /** Gives back exactly {@code holder}'s seat-legs; true when it held some. */
  boolean release(String key, String holder);

  /** Seats free on every leg of {@code [from, to)}, or −1 when the class is not loaded. */
  int remaining(String key, int from, int to);

  /** Who holds what right now: holder → holding. */
  Map<String, Holding> holdings(String key);

  static SegmentInventory inProcess() {
    return new InProcessSegmentInventory();
  }

  static SegmentInventory redis(RedisConnector redis, String keyPrefix) {
    return new RedisSegmentInventory(redis, keyPrefix);
  }
}
