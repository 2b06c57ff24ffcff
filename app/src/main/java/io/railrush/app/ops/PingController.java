package io.railrush.app.ops;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/v1/ping}: the cheapest answer the web stack can give (no backend touched) — for
 * load balancers, and the denominator when the bench compares the grab path with a trivial GET.
 */
@RestController
class PingController {

  record Pong(String status) {}

  private static final Pong PONG = new Pong("ok");

  @GetMapping("/api/v1/ping")
  Pong ping() {
    return PONG;
  }
}
