package io.railrush.app.messaging;

import com.rabbitmq.client.Channel;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.railrush.app.infra.Roles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.AcknowledgeMode;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.QueueBuilder;
import org.springframework.amqp.core.QueueInformation;
import org.springframework.amqp.core.TopicExchange;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.connection.CorrelationData;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.amqp.rabbit.listener.api.ChannelAwareMessageListener;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Conditional;
import org.springframework.stereotype.Component;

/**
 * Cluster mode's consumers: for each consumer this node runs, a durable quorum queue bound to its
 * event types on the events exchange, consumed with manual acknowledgement after the consumer's
 * transaction commits. A failed message is acknowledged only once its next try is safely parked: a
 * copy goes to the consumer's delay queue with a per-message expiry (the backoff) and comes back to
 * the consumer's queue when it expires; after the last attempt it is dead-lettered to the database,
 * where an operator lists and replays it.
 *
 * <p>The delay queue is a classic queue: the broker here (RabbitMQ 3.10) expires messages in a
 * quorum queue only by a queue-wide TTL, and the backoff differs per message. Losing a delayed copy
 * with a broker that dies before writing it is covered by the publisher confirm the original's ack
 * waits for.
 */
@Component
@Conditional(MessageTransport.OnRabbit.class)
class RabbitConsumers implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(RabbitConsumers.class);

  /** How many times the message was parked for an outage: its wait before the next try grows. */
  static final String PARKED_HEADER = "x-railrush-parked";

  private final ConnectionFactory connections;
  private final RabbitTemplate rabbit;
  private final Deliveries deliveries;
  private final MessagingProperties properties;
  private final Roles roles;
  private final MeterRegistry meters;
  private final List<SimpleMessageListenerContainer> containers = new ArrayList<>();
  private volatile boolean running;

  RabbitConsumers(
      ConnectionFactory connections,
      RabbitTemplate rabbit,
      Deliveries deliveries,
      MessagingProperties properties,
      Roles roles,
      MeterRegistry meters) {
    this.meters = meters;
    this.connections = connections;
    this.rabbit = rabbit;
    this.deliveries = deliveries;
    this.properties = properties;
    this.roles = roles;
  }

  static String queue(MessagingProperties properties, MessageConsumer consumer) {
    return properties.exchange() + "." + consumer.name();
  }

  static String delayQueue(MessagingProperties properties, MessageConsumer consumer) {
    return queue(properties, consumer) + ".retry";
  }

  @Override
  public void start() {
    RabbitAdmin admin = new RabbitAdmin(connections);
    TopicExchange events = new TopicExchange(properties.exchange(), true, false);
    admin.declareExchange(events);
    for (MessageConsumer consumer : deliveries.consumers()) {
      // every consumer's queue exists whichever nodes run it, so no event is unroutable
      Queue queue = QueueBuilder.durable(queue(properties, consumer)).quorum().build();
      admin.declareQueue(queue);
      for (String type : consumer.types()) {
        admin.declareBinding(BindingBuilder.bind(queue).to(events).with(type));
      }
      admin.declareQueue(
          QueueBuilder.durable(delayQueue(properties, consumer))
              .deadLetterExchange("")
              .deadLetterRoutingKey(queue.getName())
              .build());
      queueGauge(admin, consumer, queue.getName(), "ready");
      queueGauge(admin, consumer, delayQueue(properties, consumer), "retrying");
    }
    for (MessageConsumer consumer : deliveries.consumersOn(roles)) {
      SimpleMessageListenerContainer container = new SimpleMessageListenerContainer(connections);
      container.setQueueNames(queue(properties, consumer));
      container.setAcknowledgeMode(AcknowledgeMode.MANUAL);
      container.setConcurrentConsumers(2);
      container.setPrefetchCount(50);
      container.setMessageListener(
          (ChannelAwareMessageListener) (message, channel) -> consume(consumer, message, channel));
      container.afterPropertiesSet();
      container.start();
      containers.add(container);
    }
    running = true;
  }

  /** The broker's count of messages ready in a queue (unacknowledged ones are not counted). */
  private void queueGauge(RabbitAdmin admin, MessageConsumer consumer, String queue, String state) {
    Gauge.builder(
            "railrush.messages.queued",
            () -> {
              QueueInformation info = admin.getQueueInfo(queue);
              return info == null ? Double.NaN : info.getMessageCount();
            })
        .tag("consumer", consumer.name())
        .tag("state", state)
        .description("messages in the consumer's broker queue (ready) or delay queue (retrying)")
        .register(meters);
  }

  private void consume(
      MessageConsumer consumer, org.springframework.amqp.core.Message amqp, Channel channel)
      throws Exception {
    long tag = amqp.getMessageProperties().getDeliveryTag();
    Message message = read(amqp);
    if (message.id() == null || message.type() == null) {
      log.error("{} dropped a message without an id or a type", consumer.name());
      channel.basicReject(tag, false);
      return;
    }
    int parked = parkedBefore(amqp);
    switch (deliveries.deliver(consumer, message)) {
      case Deliveries.Applied applied -> channel.basicAck(tag, false);
      case Deliveries.DeadLettered dead -> channel.basicAck(tag, false);
      case Deliveries.RetryAfter retry ->
          retryLater(
              consumer,
              message.withAttempt(message.attempt() + 1),
              parked,
              retry.delay(),
              channel,
              tag);
      case Deliveries.Parked outage ->
          // the same attempt again, after a wait that grows with each parking (not the attempts)
          retryLater(consumer, message, parked + 1, deliveries.backoff(parked + 1), channel, tag);
    }
  }

  /** Acknowledged once a copy waits in the delay queue; else requeued now rather than lost. */
  private void retryLater(
      MessageConsumer consumer, Message next, int parked, Duration delay, Channel channel, long tag)
      throws IOException {
    if (park(consumer, next, parked, delay)) {
      channel.basicAck(tag, false);
    } else {
      channel.basicNack(tag, false, true);
    }
  }

  private static int parkedBefore(org.springframework.amqp.core.Message amqp) {
    return amqp.getMessageProperties().getHeaders().get(PARKED_HEADER) instanceof Number n
        ? n.intValue()
        : 0;
  }

  private boolean park(MessageConsumer consumer, Message message, int parked, Duration delay) {
    org.springframework.amqp.core.Message copy = RabbitTransport.amqp(message);
    copy.getMessageProperties().setHeader(PARKED_HEADER, parked);
    copy.getMessageProperties().setExpiration(Long.toString(delay.toMillis()));
    CorrelationData confirm = new CorrelationData(message.id());
    String notParked;
    try {
      rabbit.send("", delayQueue(properties, consumer), copy, confirm);
      notParked =
          RabbitTransport.unconfirmed(
              confirm, System.nanoTime() + RabbitTransport.CONFIRM_TIMEOUT.toNanos());
    } catch (RuntimeException publishFailed) {
      notParked = publishFailed.toString();
    }
    if (notParked != null) {
      log.warn("could not park {} for retry: {}", message.id(), notParked);
    }
    return notParked == null;
  }

  private static Message read(org.springframework.amqp.core.Message amqp) {
    MessageProperties headers = amqp.getMessageProperties();
    Object attempt = headers.getHeaders().get(RabbitTransport.ATTEMPT_HEADER);
    return new Message(
        headers.getMessageId(),
        headers.getType(),
        new String(amqp.getBody(), StandardCharsets.UTF_8),
        attempt instanceof Number n ? n.intValue() : 1);
  }

  @Override
  public void stop() {
    containers.forEach(SimpleMessageListenerContainer::stop);
    containers.clear();
    running = false;
  }

  @Override
  public boolean isRunning() {
    return running;
  }
}
