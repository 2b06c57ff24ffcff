package io.railrush.app.catalog;

import java.util.List;
import org.springframework.stereotype.Service;

/** The catalog as other features see it: runs by id through the guarded cache. */
@Service
public class RunCatalog {

  private final RunQueries queries;
  private final RunRepository runs;

  RunCatalog(RunQueries queries, RunRepository runs) {
    this.queries = queries;
    this.runs = runs;
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

  /** Ids of the runs whose departure date is today or later (for the sweepers). */
  public List<String> upcomingRunIds(java.time.LocalDate today) {
    return runs.idsDepartingFrom(today);
  }
}
