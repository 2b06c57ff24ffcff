package io.railrush.app.messaging;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.railrush.app.infra.Outages;
import io.railrush.app.infra.Roles;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Applying a message to a consumer, the same in both modes: in one transaction (committed before
 * the caller acknowledges), and on failure a decision. An outage (the database away, read-only,
 * timed out; see {@link Outages}) parks the message to be tried again without spending one of its
 * attempts, however long the outage lasts; a failure of the message's own is tried again after a
 * backoff, and after the last attempt dead-lettered. A dead letter that cannot be recorded is not
 * acknowledged: the message is tried again.
 */
@Component
class Deliveries {

  private static final Logger log = LoggerFactory.getLogger(Deliveries.class);

  /** What became of one delivery. */
  sealed interface Result {}

  record Applied() implements Result {}

  /** The message failed: tried again after {@code delay}, one attempt spent. */
  record RetryAfter(Duration delay, String error) implements Result {}

  /**
   * Not applied, and not the message's fault (an outage, or its dead letter could not be recorded):
   * tried again later with the same attempt number.
   */
  record Parked(String error) implements Result {}

  record DeadLettered(String error) implements Result {}

  private final List<MessageConsumer> consumers;
  private final DeadLetters deadLetters;
  private final TransactionTemplate transactions;
  private final MessagingProperties properties;
  private final Clock clock;
  private final MeterRegistry meters;
  private final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();

  Deliveries(
      List<MessageConsumer> consumers,
      DeadLetters deadLetters,
      TransactionTemplate transactions,
      MessagingProperties properties,
      Clock clock,
      MeterRegistry meters) {
    this.consumers = List.copyOf(consumers);
    this.deadLetters = deadLetters;
    this.transactions = transactions;
    this.properties = properties;
    this.clock = clock;
    this.meters = meters;
    Gauge.builder("railrush.messages.dead", deadLetters, DeadLetters::count)
        .description("dead letters waiting for an operator's replay")
        .register(meters);
    for (MessageConsumer consumer : this.consumers) {
      AtomicInteger applying = new AtomicInteger();
      inFlight.put(consumer.name(), applying);
      Gauge.builder("railrush.messages.in.flight", applying, AtomicInteger::get)
          .tag("consumer", consumer.name())
          .description("messages this node is applying right now (delivered, not yet acknowledged)")
          .register(meters);
    }
  }

  List<MessageConsumer> consumers() {
    return consumers;
  }

  /** The consumers this node runs. */
  List<MessageConsumer> consumersOn(Roles roles) {
    return consumers.stream().filter(c -> roles.has(c.role())).toList();
  }

  /** Applies it, or decides how to go on after it failed. */
  Result deliver(MessageConsumer consumer, Message message) {
    AtomicInteger applying = inFlight.get(consumer.name());
    applying.incrementAndGet();
    try {
      transactions.executeWithoutResult(tx -> consumer.handle(message));
      count(consumer, "applied");
      return new Applied();
    } catch (RuntimeException failed) {
      String error = failed.toString();
      if (Outages.isOutage(failed)) {
        log.warn("{} parked {}: {}", consumer.name(), message.id(), error);
        count(consumer, "parked");
        return new Parked(error);
      }
      if (message.attempt() >= properties.maxAttempts()) {
        log.error(
            "{} gave up on {} after {} attempts: {}",
            consumer.name(),
            message.id(),
            message.attempt(),
            error);
        try {
          deadLetters.add(consumer.name(), message, error, clock.millis());
        } catch (RuntimeException notRecorded) {
          log.warn("dead letter {} not recorded, kept: {}", message.id(), notRecorded.toString());
          count(consumer, "parked");
          return new Parked(error);
        }
        count(consumer, "dead");
        return new DeadLettered(error);
      }
      Duration delay = backoff(message.attempt());
      log.warn(
          "{} failed on {} (attempt {}), retried in {} ms: {}",
          consumer.name(),
          message.id(),
          message.attempt(),
          delay.toMillis(),
          error);
      count(consumer, "retried");
      return new RetryAfter(delay, error);
    } finally {
      applying.decrementAndGet();
    }
  }

  /**
   * Replays a dead letter through the consumer (its inbox makes a message applied before a no-op)
   * and removes it in the same transaction; false if it failed again (it stays dead).
   */
  boolean replay(DeadLetters.DeadLetter dead) {
    MessageConsumer consumer =
        consumers.stream()
            .filter(c -> c.name().equals(dead.consumer()))
            .findFirst()
            .orElseThrow(() -> new IllegalStateException("no consumer " + dead.consumer()));
    try {
      transactions.executeWithoutResult(
          tx -> {
            consumer.handle(dead.message());
            deadLetters.remove(dead.consumer(), dead.messageId());
          });
      count(consumer, "replayed");
      return true;
    } catch (RuntimeException stillFailing) {
      log.warn("replay of {} to {} failed: {}", dead.messageId(), consumer.name(), stillFailing);
      return false;
    }
  }

  /** Exponential, capped, with jitter: drawn from the upper half of the step. */
  Duration backoff(int attempt) {
    long base = properties.retryBase().toMillis();
    long step = Math.min(properties.retryMax().toMillis(), base << Math.min(attempt - 1, 20));
    return Duration.ofMillis(step / 2 + ThreadLocalRandom.current().nextLong(step / 2 + 1));
  }

  private void count(MessageConsumer consumer, String outcome) {
    meters
        .counter("railrush.messages.deliveries", "consumer", consumer.name(), "outcome", outcome)
        .increment();
  }
}
