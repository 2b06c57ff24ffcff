package io.railrush.app.grab;

import io.railrush.app.identity.AuthenticatedUser;
import io.railrush.app.web.ErrorCode;
import io.railrush.app.web.Refusals;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.validation.Valid;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/v1/runs/{runId}/grabs} (docs/api.md) through Spring MVC: the requests {@link
 * LeanGrabFilter} hands on (a body it does not take as it is, an unusual header), and every request
 * when the lean path is switched off.
 */
@RestController
class GrabController {

  private final GrabDesk desk;

  GrabController(GrabDesk desk) {
    this.desk = desk;
  }

  @PostMapping(GrabDesk.PATH_PATTERN)
  @ApiResponse(
      responseCode = "202",
      description = "accepted: the seat is reserved and the order is on its way (PENDING)",
      content = @Content(schema = @Schema(implementation = GrabDesk.Accepted.class)))
  @Refusals({
    ErrorCode.BAD_REQUEST,
    ErrorCode.UNAUTHORIZED,
    ErrorCode.NOT_FOUND,
    ErrorCode.SOLD_OUT,
    ErrorCode.ALREADY_HOLDING,
    ErrorCode.NOT_ON_SALE,
    ErrorCode.RATE_LIMITED,
    ErrorCode.BUSY,
    ErrorCode.PAYLOAD_TOO_LARGE
  })
  ResponseEntity<?> grab(
      AuthenticatedUser user,
      @PathVariable String runId,
      @RequestHeader(name = "Idempotency-Key", required = false) String key,
      @Valid @RequestBody(required = false) GrabRequest request) {
    return desk.grab(user.userId(), runId, key, request == null ? null : request.couponId());
  }
}
