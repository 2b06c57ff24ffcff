package io.railrush.app.messaging;

import io.railrush.app.infra.SweeperTurns;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.FixedDelayTask;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.stereotype.Component;

/**
 * Deletes what is done with: outbox rows published longer ago than {@code keep-done}, and each
 * consumer's records of messages it applied that long ago. One sweeper node per round, in chunks,
 * so a large first clean-up never holds one long transaction.
 */
@Component
class MessageRetention implements SchedulingConfigurer {

  private static final Logger log = LoggerFactory.getLogger(MessageRetention.class);
  private static final int CHUNK = 5_000;

  private final OutboxRepository outbox;
  private final List<MessageConsumer> consumers;
  private final SweeperTurns turns;
  private final MessagingProperties properties;
  private final Clock clock;

  MessageRetention(
      OutboxRepository outbox,
      List<MessageConsumer> consumers,
      SweeperTurns turns,
      MessagingProperties properties,
      Clock clock) {
    this.outbox = outbox;
    this.consumers = consumers;
    this.turns = turns;
    this.properties = properties;
    this.clock = clock;
  }

  @Override
  public void configureTasks(ScheduledTaskRegistrar tasks) {
    tasks.addFixedDelayTask(
        new FixedDelayTask(this::forgetAsLeader, properties.retentionEvery(), Duration.ZERO));
  }

  void forgetAsLeader() {
    turns.runIfLeader(
        "message-retention",
        held -> {
          long before = clock.millis() - properties.keepDone().toMillis();
          int outboxRows = 0;
          int chunk;
          do {
            chunk = outbox.forgetPublishedBefore(before, CHUNK);
            outboxRows += chunk;
          } while (chunk == CHUNK && held.isHeld());
          int inboxRows = 0;
          for (MessageConsumer consumer : consumers) {
            do {
              chunk = consumer.forgetAppliedBefore(before, CHUNK);
              inboxRows += chunk;
            } while (chunk == CHUNK && held.isHeld());
          }
          if (outboxRows + inboxRows > 0) {
            log.info(
                "forgot {} published outbox rows and {} applied-message records older than {}",
                outboxRows,
                inboxRows,
                properties.keepDone());
          }
        });
  }
}
