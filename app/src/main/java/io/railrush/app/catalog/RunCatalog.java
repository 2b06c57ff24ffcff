package io.railrush.app.catalog;

import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import org.springframework.modulith.NamedInterface;
import org.springframework.stereotype.Service;

/** The catalog as other features see it: runs by id through the guarded cache. */
@NamedInterface("api")
@Service
public class RunCatalog {

  private final RunQueries queries;
  private final RunRepository runs;
  private final CatalogProperties properties;
  private final Clock clock;

  RunCatalog(RunQueries queries, RunRepository runs, CatalogProperties properties, Clock clock) {
    this.queries = queries;
    this.runs = runs;
    this.properties = properties;
    this.clock = clock;
  }

  /**
   * The run as the cache has it (seats and price do not change once created); unknown ids are
   * refused by the Bloom filter first.
   *
   * @throws io.railrush.app.web.ApiException 404 when the run does not exist
   */
  public RunForSale forSale(String runId) {
    Run run = queries.run(runId).value();
    return new RunForSale(run.runId(), run.seats(), run.priceCents(), run.saleOpensAt());
  }

  /** Ids of the runs departing yesterday or later in the railway's time zone (for the sweepers). */
  public List<String> recentAndUpcomingRunIds() {
    return runs.idsDepartingFrom(LocalDate.now(clock.withZone(properties.zone())).minusDays(1));
  }
}
