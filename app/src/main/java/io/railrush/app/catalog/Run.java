package io.railrush.app.catalog;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;

/** One train run: a train number on one departure date, with its seats and how many are sold. */
record Run(
    String runId,
    String trainNo,
    LocalDate departureDate,
    String origin,
    String destination,
    LocalTime departureTime,
    int seats,
    int sold,
    long priceCents,
    Instant saleOpensAt) {

  private static final DateTimeFormatter COMPACT_DATE = DateTimeFormatter.BASIC_ISO_DATE;

  /** Run ids read as what they are: {@code G296-20261201}. */
  static String idOf(String trainNo, LocalDate departureDate) {
    return trainNo + "-" + COMPACT_DATE.format(departureDate);
  }

  int remaining() {
    return Math.max(0, seats - sold);
  }
}
