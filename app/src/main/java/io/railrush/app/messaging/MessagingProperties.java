package io.railrush.app.messaging;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code railrush.messaging.*}.
 *
 * @param transport how relayed messages reach consumers: {@code in-process} (embedded: this JVM's
 *     consumers, retried from the outbox) or {@code rabbitmq} (the cluster profile sets it)
 * @param exchange the RabbitMQ topic exchange events are published to (cluster mode); each
 *     consumer's queue is {@code <exchange>.<consumer>}, its delay queue {@code
 *     <exchange>.<consumer>.retry}
 * @param maxAttempts deliveries of a message to a consumer before it is dead-lettered
 * @param retryBase the first retry's delay; each next one doubles it, up to {@code retryMax}, and
 *     each is drawn at random from its upper half (jitter), so failures do not retry in step
 * @param retryMax the longest delay between two deliveries
 * @param lease how long a relay holds the outbox rows it claimed: a relay that dies leaves them to
 *     the others after this
 * @param batch outbox rows a relay claims at once
 * @param keepDone how long published outbox rows and consumers' records of applied messages are
 *     kept: long past any redelivery (a message is redelivered within seconds of a lost ack; a dead
 *     letter, never applied, has no record to lose), short enough that the tables and the outbox
 *     gauges' counts stay small
 * @param retentionEvery how often the (leader-elected) retention deletes what {@code keepDone} let
 *     go
 */
@ConfigurationProperties("railrush.messaging")
public record MessagingProperties(
    @DefaultValue("in-process") Transport transport,
    @DefaultValue("railrush.events") String exchange,
    @DefaultValue("5") int maxAttempts,
    @DefaultValue("1s") Duration retryBase,
    @DefaultValue("60s") Duration retryMax,
    @DefaultValue("30s") Duration lease,
    @DefaultValue("1000") int batch,
    @DefaultValue("7d") Duration keepDone,
    @DefaultValue("1m") Duration retentionEvery) {

  public enum Transport {
    /** the relay applies each message to this JVM's consumers */
    IN_PROCESS,
    /** the relay publishes to a RabbitMQ topic exchange; consumers have quorum queues */
    RABBITMQ
  }

  public MessagingProperties {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("railrush.messaging.max-attempts must be at least 1");
    }
  }
}
