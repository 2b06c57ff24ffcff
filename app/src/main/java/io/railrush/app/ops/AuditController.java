package io.railrush.app.ops;

import io.railrush.app.catalog.SeatLedger;
import io.railrush.app.identity.AdminAccess;
import io.railrush.app.order.OrderAudit;
import io.railrush.app.web.ApiException;
import io.railrush.app.web.ErrorCode;
import io.railrush.app.web.Refusals;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /api/v1/admin/runs/{runId}/audit}: the sale's invariants, read from the database. */
@RestController
class AuditController {

  private final SeatLedger ledger;
  private final OrderAudit orders;

  AuditController(SeatLedger ledger, OrderAudit orders) {
    this.ledger = ledger;
    this.orders = orders;
  }

  record RunAudit(
      String runId,
      int seats,
      int sold,
      Map<String, Long> ordersByStatus,
      long usersWithMoreThanOneActiveOrder) {}

  @GetMapping("/api/v1/admin/runs/{runId}/audit")
  @Refusals({ErrorCode.UNAUTHORIZED, ErrorCode.FORBIDDEN, ErrorCode.NOT_FOUND})
  RunAudit audit(AdminAccess admin, @PathVariable String runId) {
    SeatLedger.Seats seats =
        ledger.read(runId).orElseThrow(() -> ApiException.notFound("run " + runId));
    return new RunAudit(
        runId,
        seats.seats(),
        seats.sold(),
        orders.ordersByStatus(runId),
        orders.usersWithMoreThanOneActiveOrder(runId));
  }
}
