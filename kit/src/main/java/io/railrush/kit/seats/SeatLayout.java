package io.railrush.kit.seats;

/**
 * Where the seats of one class sit: rows of {@code letters} (one seat per letter, e.g. {@code
 * "ABCDF"}), {@code rowsPerCarriage} rows to a carriage, seats numbered in that order — seat index
 * {@code i} is in carriage {@code i / (rowsPerCarriage × letters)}, row {@code (i / letters) mod
 * rowsPerCarriage}, letter {@code letters[i mod letters]} (all 0-based). The last carriage may be
 * partly filled.
 *
 * @param seats how many seats the class has (1 to 65,536)
 * @param letters the seat letters of a row, left to right, each once
 * @param rowsPerCarriage rows in one carriage (1 or more)
 */
public record SeatLayout(int seats, String letters, int rowsPerCarriage) {

  public SeatLayout {
    if (seats < 1 || seats > 65_536) {
      throw new IllegalArgumentException("seats must be 1-65536, not " + seats);
    }
    if (letters == null
        || letters.isEmpty()
        || letters.length() > 26
        || letters.chars().distinct().count() != letters.length()
        || !letters.chars().allMatch(c -> c >= 'A' && c <= 'Z')) {
      throw new IllegalArgumentException("letters must be distinct A-Z, not " + letters);
    }
    if (rowsPerCarriage < 1) {
      throw new IllegalArgumentException("rowsPerCarriage must be at least 1");
    }
  }

  public int seatsPerRow() {
    return letters.length();
  }

  /** The row counted across carriages (0-based): seats of one row share it. */
  public int rowOf(int seat) {
    return seat / seatsPerRow();
  }

  /** 0-based carriage within the class. */
  public int carriageOf(int seat) {
    return rowOf(seat) / rowsPerCarriage;
  }

  /** 0-based row within its carriage. */
  public int rowInCarriage(int seat) {
    return rowOf(seat) % rowsPerCarriage;
  }

  public char letterOf(int seat) {
    return letters.charAt(seat % seatsPerRow());
  }

  /** How many rows hold seats (the last may be partly filled). */
  public int rows() {
    return (seats + seatsPerRow() - 1) / seatsPerRow();
  }
}
