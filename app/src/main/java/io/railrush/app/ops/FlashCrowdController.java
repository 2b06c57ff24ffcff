package io.railrush.app.ops;

import io.railrush.app.identity.AdminAccess;
import io.railrush.app.web.ApiException;
import io.railrush.app.web.ErrorCode;
import io.railrush.app.web.Refusals;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.net.InetAddress;
import java.net.UnknownHostException;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/v1/admin/ops/flash-crowd}: the dashboard's "start a demo flash crowd" button.
 * Admin, and only from this machine: a crowd is load, and load is not something to start from
 * elsewhere (a request that came through a proxy counts as from elsewhere).
 */
@RestController
class FlashCrowdController {

  private final FlashCrowd crowd;

  FlashCrowdController(FlashCrowd crowd) {
    this.crowd = crowd;
  }

  record Start(
      @NotNull @Pattern(regexp = "[A-Za-z0-9-]{1,64}") String runId,
      @NotNull @Min(1) @Max(FlashCrowd.MAX_USERS) Integer users,
      @NotNull @Min(1) @Max(FlashCrowd.MAX_SECONDS) Integer seconds) {}

  record Started(String runId, int users, int seconds) {}

  @PostMapping("/api/v1/admin/ops/flash-crowd")
  @ResponseStatus(HttpStatus.ACCEPTED)
  @Refusals({
    ErrorCode.BAD_REQUEST,
    ErrorCode.UNAUTHORIZED,
    ErrorCode.FORBIDDEN,
    ErrorCode.CONFLICT,
    ErrorCode.PAYLOAD_TOO_LARGE
  })
  Started start(AdminAccess admin, @Valid @RequestBody Start start, HttpServletRequest request) {
    if (!fromThisMachine(request)) {
      throw new ApiException(ErrorCode.FORBIDDEN, "a flash crowd starts only from this machine");
    }
    if (!crowd.start(start.runId(), start.users(), start.seconds())) {
      throw new ApiException(ErrorCode.CONFLICT, "a flash crowd is still running");
    }
    return new Started(start.runId(), start.users(), start.seconds());
  }

  private static boolean fromThisMachine(HttpServletRequest request) {
    if (request.getHeader("X-Forwarded-For") != null) {
      return false;
    }
    try {
      return InetAddress.getByName(request.getRemoteAddr()).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
