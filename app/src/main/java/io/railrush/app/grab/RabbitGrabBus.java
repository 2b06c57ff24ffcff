package io.railrush.app.grab;

import com.rabbitmq.client.Channel;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.railrush.app.infra.Roles;
import io.railrush.app.order.OrderIntake;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.AcknowledgeMode;
import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.Declarables;
import org.springframework.amqp.core.DirectExchange;
import org.springframework.amqp.core.FanoutExchange;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.QueueBuilder;
import org.springframework.amqp.core.QueueInformation;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.connection.CorrelationData;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.amqp.rabbit.listener.api.ChannelAwareBatchMessageListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.ObjectMapper;

/**
 * The cluster's bus: RabbitMQ. Accepted grabs go to a durable quorum queue as persistent messages;
 * the gate answers 202 only after the broker's publisher confirm. Order-role nodes consume in
 * batches with manual acks after the batch's transaction commits (a crash before the ack means
 * redelivery, which the writer skips). While the database refuses writes a batch is held, not
 * requeued. A message the writer itself refuses {@code deliveryLimit} times, or one that cannot be
 * read, goes to the dead-letter exchange and its queue {@code <name>.dead}.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(GrabConfig.OnRabbitBus.class)
class RabbitGrabBus implements GrabBus {

  private static final Logger log = LoggerFactory.getLogger(RabbitGrabBus.class);

  /** The longest wait between two tries of a parked batch: how late a recovery is noticed. */
  private static final long MAX_PARK_PAUSE_MILLIS = 5_000;

  private final RabbitTemplate rabbit;
  private final RabbitAdmin admin;
  private final CachingConnectionFactory rawConnections;
  private final ObjectMapper json;
  private final GrabProperties properties;

  /** Accepted grabs this node holds unacknowledged while the database refuses writes. */
  private final AtomicInteger parked = new AtomicInteger();

  RabbitGrabBus(
      RabbitTemplate rabbit,
      CachingConnectionFactory connections,
      ObjectMapper json,
      GrabProperties properties,
      MeterRegistry meters) {
    this.rabbit = rabbit;
    this.admin = new RabbitAdmin(connections);
    this.rawConnections = connections;
    this.json = json;
    this.properties = properties;
    Gauge.builder("railrush.orders.parked", parked, AtomicInteger::get)
        .description("accepted grabs waiting for the database to take writes again (alert if > 0)")
        .register(meters);
  }

  private String exchange() {
    return properties.bus().name();
  }

  private String queue() {
    return properties.bus().name() + ".accepted";
  }

  @Bean
  Declarables grabTopology() {
    String name = properties.bus().name();
    DirectExchange exchange = new DirectExchange(name, true, false);
    FanoutExchange deadLetters = new FanoutExchange(name + ".dlx", true, false);
    Queue accepted =
        QueueBuilder.durable(queue())
            .quorum()
            .deadLetterExchange(deadLetters.getName())
            .deliveryLimit(properties.bus().deliveryLimit())
            .build();
    Queue dead = QueueBuilder.durable(deadQueue()).quorum().build();
    Binding acceptedBinding = BindingBuilder.bind(accepted).to(exchange).with("accepted");
    Binding deadBinding = BindingBuilder.bind(dead).to(deadLetters);
    return new Declarables(exchange, deadLetters, accepted, dead, acceptedBinding, deadBinding);
  }

  @Override
  public void publish(GrabAccepted grab) {
    MessageProperties headers = new MessageProperties();
    headers.setContentType(MessageProperties.CONTENT_TYPE_JSON);
    headers.setDeliveryMode(MessageDeliveryMode.PERSISTENT);
    headers.setMessageId(grab.orderNo());
    Message message = new Message(json.writeValueAsBytes(grab), headers);
    CorrelationData correlation = new CorrelationData(grab.orderNo());
    rabbit.send(exchange(), "accepted", message, correlation); // throws if it cannot even be sent
    CorrelationData.Confirm confirm;
    try {
      confirm =
          correlation
              .getFuture()
              .get(properties.publishTimeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PublishOutcomeUnknownException(grab.orderNo(), e);
    } catch (ExecutionException | TimeoutException e) {
      throw new PublishOutcomeUnknownException(grab.orderNo(), e); // sent: the broker may have it
    }
    if (correlation.getReturned() != null) {
      throw new IllegalStateException("no queue took " + grab.orderNo()); // unroutable: not stored
    }
    if (!confirm.ack()) {
      if (confirm.reason() != null) {
        // a nack the client made up when the channel closed with the confirm pending: the broker
        // may hold the message all the same (its own basic.nack carries no reason)
        throw new PublishOutcomeUnknownException(
            grab.orderNo(), new IllegalStateException(confirm.reason()));
      }
      throw new IllegalStateException("broker refused " + grab.orderNo());
    }
  }

  @Override
  public long backlog() {
    QueueInformation info = admin.getQueueInfo(queue());
    return info == null ? 0 : info.getMessageCount();
  }

  @Override
  public long dead() {
    QueueInformation info = admin.getQueueInfo(deadQueue());
    return info == null ? 0 : info.getMessageCount();
  }

  /**
   * Moves dead grabs back to the queue one at a time on a connection of its own: take without ack,
   * publish, wait for the broker's confirm, then ack — a crash in between leaves the grab in both
   * queues at worst, and the writer skips a grab it has written.
   */
  @Override
  public int replayDead(int max) {
    int replayed = 0;
    try (com.rabbitmq.client.Connection connection =
            rawConnections.getRabbitConnectionFactory().newConnection("railrush-grab-replay");
        Channel channel = connection.createChannel()) {
      channel.confirmSelect();
      for (; replayed < max; replayed++) {
        com.rabbitmq.client.GetResponse dead = channel.basicGet(deadQueue(), false);
        if (dead == null) {
          break;
        }
        channel.basicPublish(exchange(), "accepted", true, dead.getProps(), dead.getBody());
        channel.waitForConfirmsOrDie(properties.publishTimeout().toMillis());
        channel.basicAck(dead.getEnvelope().getDeliveryTag(), false);
      }
    } catch (IOException | TimeoutException e) {
      throw new IllegalStateException("replay of dead grabs stopped after " + replayed, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return replayed;
  }

  private String deadQueue() {
    return properties.bus().name() + ".dead";
  }

  @Bean
  SimpleMessageListenerContainer grabConsumer(
      ConnectionFactory connections, OrderIntake writer, Roles roles) {
    SimpleMessageListenerContainer container = new SimpleMessageListenerContainer(connections);
    container.setQueueNames(queue());
    container.setAcknowledgeMode(AcknowledgeMode.MANUAL);
    container.setPrefetchCount(properties.bus().prefetch());
    container.setConsumerBatchEnabled(true);
    container.setBatchSize(properties.bus().batchSize());
    container.setReceiveTimeout(50);
    container.setMissingQueuesFatal(false);
    container.setAutoStartup(roles.has(Roles.Role.ORDER));
    container.setMessageListener(
        (ChannelAwareBatchMessageListener)
            (messages, channel) -> consume(messages, channel, writer));
    return container;
  }

  private void consume(List<Message> messages, Channel channel, OrderIntake writer) {
    try {
      List<GrabAccepted> grabs = new ArrayList<>(messages.size());
      List<Long> tags = new ArrayList<>(messages.size());
      for (Message message : messages) {
        long tag = message.getMessageProperties().getDeliveryTag();
        try {
          grabs.add(json.readValue(message.getBody(), GrabAccepted.class));
          tags.add(tag);
        } catch (RuntimeException unreadable) {
          log.error(
              "dead-lettering an unreadable grab: {}",
              new String(message.getBody(), StandardCharsets.UTF_8));
          channel.basicReject(tag, false);
        }
      }
      if (grabs.isEmpty()) {
        return;
      }
      if (writeParkingWhileTheDatabaseRefuses(writer, grabs)) {
        channel.basicAck(tags.get(tags.size() - 1), true);
        return;
      }
      // something in the batch itself fails: one by one, so only that grab goes back to the queue
      for (int i = 0; i < grabs.size(); i++) {
        if (writeParkingWhileTheDatabaseRefuses(writer, List.of(grabs.get(i)))) {
          channel.basicAck(tags.get(i), false);
        } else {
          log.error("order writer refuses {}; requeued", grabs.get(i).orderNo());
          channel.basicNack(tags.get(i), false, true);
        }
      }
    } catch (IOException | RuntimeException channelLost) {
      // the broker redelivers what was not acked; the writer skips what it already wrote
      log.warn("grab batch not acknowledged: {}", channelLost.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Writes the grabs, retrying for as long as the database refuses writes (down, failing over, a
   * read-only standby): those grabs stay unacknowledged here rather than requeued, because every
   * requeue counts towards the queue's delivery limit and a 202 must never become a dead letter
   * while the database is away. False only when the grabs themselves are refused ({@link
   * WriteFailures#isPoison}).
   */
  private boolean writeParkingWhileTheDatabaseRefuses(OrderIntake writer, List<GrabAccepted> grabs)
      throws InterruptedException {
    long pauseMillis = 100;
    boolean counted = false;
    try {
      while (true) {
        try {
          writer.write(grabs.stream().map(GrabAccepted::toOrderRequest).toList());
          return true;
        } catch (RuntimeException failed) {
          if (WriteFailures.isPoison(failed)) {
            log.warn("order writer refused {} grabs: {}", grabs.size(), failed.toString());
            return false;
          }
          if (!counted) {
            parked.addAndGet(grabs.size());
            counted = true;
          }
          log.warn(
              "order writer cannot write (database or shared tier away); {} grabs parked, retry in {} ms: {}",
              grabs.size(),
              pauseMillis,
              failed.toString());
          Thread.sleep(pauseMillis);
          pauseMillis = Math.min(pauseMillis * 2, MAX_PARK_PAUSE_MILLIS);
        }
      }
    } finally {
      if (counted) {
        parked.addAndGet(-grabs.size());
      }
    }
  }
}
