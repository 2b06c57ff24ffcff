package io.railrush.app.grab;

import io.railrush.app.identity.AdminAccess;
import io.railrush.app.web.ErrorCode;
import io.railrush.app.web.Refusals;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Accepted grabs the order writer refused again and again (a constraint, a bug — never an absent
 * database, which it waits for): how many, and handing them back once the cause is fixed.
 */
@RestController
class DeadGrabsController {

  private static final int REPLAYED_PER_CALL = 10_000;

  private final GrabBus bus;

  DeadGrabsController(GrabBus bus) {
    this.bus = bus;
  }

  record DeadGrabs(long dead) {}

  record Replayed(int replayed, long stillDead) {}

  @GetMapping("/api/v1/admin/grabs/dead")
  @Refusals({ErrorCode.UNAUTHORIZED, ErrorCode.FORBIDDEN})
  DeadGrabs dead(AdminAccess admin) {
    return new DeadGrabs(bus.dead());
  }

  @PostMapping("/api/v1/admin/grabs/dead/replay")
  @Refusals({ErrorCode.UNAUTHORIZED, ErrorCode.FORBIDDEN})
  Replayed replay(AdminAccess admin) {
    int replayed = bus.replayDead(REPLAYED_PER_CALL);
    return new Replayed(replayed, bus.dead());
  }
}
