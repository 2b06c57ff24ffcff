package io.railrush.app.catalog;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.time.format.DateTimeFormatter;

/** One run as the API shows it (docs/api.md, "Catalog and query"). */
@JsonInclude(JsonInclude.Include.NON_NULL)
record RunView(
    String runId,
    String trainNo,
    String departureDate,
    String origin,
    String destination,
    String departureTime,
    long priceCents,
    int remaining,
    int seats,
    Instant saleOpensAt) {

  private static final DateTimeFormatter HOUR_MINUTE = DateTimeFormatter.ofPattern("HH:mm");

  static RunView of(Run run) {
    return new RunView(
        run.runId(),
        run.trainNo(),
        run.departureDate().toString(),
        run.origin(),
        run.destination(),
        HOUR_MINUTE.format(run.departureTime()),
        run.priceCents(),
        run.remaining(),
        run.seats(),
        run.saleOpensAt());
  }
}
