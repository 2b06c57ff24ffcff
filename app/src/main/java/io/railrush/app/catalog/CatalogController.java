package io.railrush.app.catalog;

import io.railrush.app.identity.AdminAccess;
import io.railrush.app.web.ApiException;
import io.railrush.app.web.ErrorCode;
import io.railrush.app.web.Refusals;
import io.railrush.kit.cache.CacheRead;
import jakarta.validation.Valid;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Catalog and query (查票): docs/api.md, "Catalog and query". */
@RestController
class CatalogController {

  private static final int MAX_LIMIT = 500;
  private static final int MAX_STATION_LENGTH = 32;

  private final RunQueries queries;
  private final RunRepository runs;
  private final KnownRunIds knownIds;
  private final ObjectProvider<RunCreatedBroadcast.RunAnnouncer> otherNodes;
  private final CatalogProperties properties;
  private final Clock clock;

  CatalogController(
      RunQueries queries,
      RunRepository runs,
      KnownRunIds knownIds,
      ObjectProvider<RunCreatedBroadcast.RunAnnouncer> otherNodes,
      CatalogProperties properties,
      Clock clock) {
    this.queries = queries;
    this.runs = runs;
    this.knownIds = knownIds;
    this.otherNodes = otherNodes;
    this.properties = properties;
    this.clock = clock;
  }

  record SearchResponse(List<RunView> runs, boolean degraded) {}

  record StockResponse(String runId, int remaining, Instant asOf, boolean degraded) {}

  @GetMapping("/api/v1/runs")
  @Refusals({ErrorCode.BAD_REQUEST, ErrorCode.BUSY})
  SearchResponse search(
      @RequestParam(required = false) String origin,
      @RequestParam(required = false) String destination,
      @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate date,
      @RequestParam(required = false) Integer limit) {
    int effectiveLimit = limit == null ? 100 : limit;
    if (effectiveLimit < 1 || effectiveLimit > MAX_LIMIT) {
      throw ApiException.badRequest("limit must be between 1 and " + MAX_LIMIT);
    }
    RunQueries.SearchKey key =
        new RunQueries.SearchKey(
            station(origin, "origin"), station(destination, "destination"), date, effectiveLimit);
    CacheRead<RunQueries.RunList> read = queries.search(key);
    return new SearchResponse(
        read.value().runs().stream().map(RunView::of).toList(), read.degraded());
  }

  @GetMapping("/api/v1/runs/{runId}")
  @Refusals({ErrorCode.NOT_FOUND, ErrorCode.BUSY})
  RunView run(@PathVariable String runId) {
    return RunView.of(queries.run(runId).value());
  }

  @GetMapping("/api/v1/runs/{runId}/stock")
  @Refusals({ErrorCode.NOT_FOUND, ErrorCode.BUSY})
  StockResponse stock(@PathVariable String runId) {
    CacheRead<Run> read = queries.run(runId);
    return new StockResponse(runId, read.value().remaining(), read.asOf(), read.degraded());
  }

  @PostMapping("/api/v1/admin/runs")
  @Refusals({
    ErrorCode.BAD_REQUEST,
    ErrorCode.UNAUTHORIZED,
    ErrorCode.FORBIDDEN,
    ErrorCode.CONFLICT,
    ErrorCode.PAYLOAD_TOO_LARGE
  })
  ResponseEntity<RunView> create(AdminAccess admin, @Valid @RequestBody CreateRunRequest request) {
    String origin = request.origin().strip();
    String destination = request.destination().strip();
    if (origin.equals(destination)) {
      throw ApiException.badRequest("origin and destination must differ");
    }
    LocalDate today = LocalDate.now(clock.withZone(properties.zone()));
    if (request.departureDate().isBefore(today)) {
      throw ApiException.badRequest("departureDate must not be in the past");
    }
    Run run =
        new Run(
            Run.idOf(request.trainNo(), request.departureDate()),
            request.trainNo(),
            request.departureDate(),
            origin,
            destination,
            request.departureTime(),
            request.seats(),
            0,
            request.priceCents(),
            request.saleOpensAt() == null ? null : request.saleOpensAt().toInstant());
    try {
      runs.insert(run, clock.instant());
    } catch (DuplicateKeyException e) {
      throw new ApiException(
          ErrorCode.CONFLICT, request.trainNo() + " already runs on " + request.departureDate());
    }
    knownIds.add(run.runId());
    otherNodes.ifAvailable(announcer -> announcer.runCreated(run.runId()));
    queries.forget(run.runId());
    return ResponseEntity.created(URI.create("/api/v1/runs/" + run.runId())).body(RunView.of(run));
  }

  private static String station(String name, String parameter) {
    if (name == null || name.isBlank()) {
      return null;
    }
    String stripped = name.strip();
    if (stripped.length() > MAX_STATION_LENGTH) {
      throw ApiException.badRequest(
          parameter + " must be at most " + MAX_STATION_LENGTH + " characters");
    }
    return stripped;
  }
}
