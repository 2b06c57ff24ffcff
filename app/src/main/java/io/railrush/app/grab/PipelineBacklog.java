package io.railrush.app.grab;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The order pipeline's backlog, sampled a few times a second so grabs can be shed (503 BUSY,
 * "queueing, retry later": 服务降级) without asking the bus on every request.
 */
@Component
class PipelineBacklog {

  private static final Logger log = LoggerFactory.getLogger(PipelineBacklog.class);

  private final GrabBus bus;
  private final long limit;
  private volatile long current;

  PipelineBacklog(GrabBus bus, GrabProperties properties) {
    this.bus = bus;
    this.limit = properties.backlogLimit();
  }

  @Scheduled(fixedDelayString = "${railrush.grab.backlog-sample-every:250ms}")
  void sample() {
    try {
      current = bus.backlog();
    } catch (RuntimeException e) {
      log.debug("backlog unknown: {}", e.getMessage());
    }
  }

  long current() {
    return current;
  }

  boolean over() {
    return current > limit;
  }
}
