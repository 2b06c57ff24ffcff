package io.railrush.app.grab;

import com.rabbitmq.client.Channel;
import io.railrush.app.infra.Roles;
import io.railrush.app.order.OrderIntake;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
 * redelivery, which the writer skips). A message redelivered {@code deliveryLimit} times, or one
 * that cannot be read, goes to the dead-letter exchange and its queue {@code <name>.dead}.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(GrabConfig.OnRabbitBus.class)
class RabbitGrabBus implements GrabBus {

  private static final Logger log = LoggerFactory.getLogger(RabbitGrabBus.class);

  private final RabbitTemplate rabbit;
  private final RabbitAdmin admin;
  private final ObjectMapper json;
  private final GrabProperties properties;

  RabbitGrabBus(
      RabbitTemplate rabbit,
      ConnectionFactory connections,
      ObjectMapper json,
      GrabProperties properties) {
    this.rabbit = rabbit;
    this.admin = new RabbitAdmin(connections);
    this.json = json;
    this.properties = properties;
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
    Queue dead = QueueBuilder.durable(name + ".dead").quorum().build();
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
    if (!confirm.ack() || correlation.getReturned() != null) {
      throw new IllegalStateException("broker refused " + grab.orderNo() + ": " + confirm.reason());
    }
  }

  @Override
  public long backlog() {
    QueueInformation info = admin.getQueueInfo(queue());
    return info == null ? 0 : info.getMessageCount();
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
      // a failing batch is retried here, unacknowledged, rather than requeued: every requeue
      // counts towards the quorum queue's delivery limit, and a 202 must not end as a dead letter
      for (int attempt = 1; attempt <= 3; attempt++) {
        try {
          writer.write(grabs.stream().map(GrabAccepted::toOrderRequest).toList());
          channel.basicAck(tags.get(tags.size() - 1), true);
          return;
        } catch (RuntimeException failed) {
          log.warn(
              "order writer failed on {} grabs (attempt {}): {}",
              grabs.size(),
              attempt,
              failed.toString());
          Thread.sleep(200L * attempt);
        }
      }
      // still failing: one by one, so only a grab that fails on its own goes back to the queue
      for (int i = 0; i < grabs.size(); i++) {
        try {
          writer.write(List.of(grabs.get(i).toOrderRequest()));
          channel.basicAck(tags.get(i), false);
        } catch (RuntimeException failed) {
          log.warn(
              "order writer failed on {}; requeued: {}", grabs.get(i).orderNo(), failed.toString());
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
}
