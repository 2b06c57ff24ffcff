package io.railrush.app.payment;

import com.rabbitmq.client.Channel;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.railrush.app.infra.Roles;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
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
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.amqp.rabbit.listener.api.ChannelAwareMessageListener;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;

/**
 * The cluster's settlement bus: the keys of each batch of recorded notifications go, as one
 * message, to a durable quorum queue; payment-role nodes settle each and acknowledge after every
 * settlement of the message committed (a crash before the ack means redelivery, which settles
 * nothing twice). A message that keeps failing is dead-lettered after {@code deliveryLimit} tries —
 * its notification is still unsettled in the inbox, where {@link InboxRedrive} finds it.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(PaymentConfig.OnRabbitBus.class)
class RabbitSettlementBus implements SettlementBus, DisposableBean {

  private static final Logger log = LoggerFactory.getLogger(RabbitSettlementBus.class);
  private static final int DELIVERY_LIMIT = 20;
  private static final int WAKE_UPS_WAITING = 1_024;
  private static final Duration WAKE_UP_FRESH_FOR = Duration.ofSeconds(1);

  private static final TypeReference<List<PaymentNotificationInbox.Key>> KEYS =
      new TypeReference<>() {};

  private final RabbitTemplate rabbit;
  private final ObjectMapper json;
  private final String exchange;
  private final String queue;
  private final int settlers;
  private final ThreadPoolExecutor wakeUps;
  private final Counter dropped;

  RabbitSettlementBus(
      RabbitTemplate rabbit,
      PaymentProperties properties,
      ObjectMapper json,
      MeterRegistry meters) {
    this.rabbit = rabbit;
    this.json = json;
    this.exchange = properties.busName();
    this.queue = properties.busName() + ".notified";
    this.settlers = properties.settlers();
    this.wakeUps =
        new ThreadPoolExecutor(
            1,
            1,
            0,
            TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(WAKE_UPS_WAITING),
            Thread.ofPlatform().name("payment-wake-ups").daemon().factory(),
            new ThreadPoolExecutor.AbortPolicy());
    this.dropped =
        Counter.builder("railrush.payments.wakeups.dropped")
            .description(
                "settlement wake-ups not sent (the inbox redrive settles their notifications)")
            .register(meters);
  }

  @Bean
  Declarables paymentTopology() {
    DirectExchange direct = new DirectExchange(exchange, true, false);
    FanoutExchange deadLetters = new FanoutExchange(exchange + ".dlx", true, false);
    Queue notified =
        QueueBuilder.durable(queue)
            .quorum()
            .deadLetterExchange(deadLetters.getName())
            .deliveryLimit(DELIVERY_LIMIT)
            .build();
    Queue dead = QueueBuilder.durable(exchange + ".dead").quorum().build();
    Binding notifiedBinding = BindingBuilder.bind(notified).to(direct).with("notified");
    Binding deadBinding = BindingBuilder.bind(dead).to(deadLetters);
    return new Declarables(direct, deadLetters, notified, dead, notifiedBinding, deadBinding);
  }

  /**
   * Queues the wake-up and returns at once: it is sent from a thread of its own, never from the
   * inbox writer's, because a broker that holds the connection but stops answering would otherwise
   * hold every notification's answer behind it. Best effort: a wake-up that finds {@value
   * #WAKE_UPS_WAITING} others waiting, or that waited {@link #WAKE_UP_FRESH_FOR} before its turn,
   * is dropped, and {@link InboxRedrive} settles its notifications.
   */
  @Override
  public void announce(List<PaymentNotificationInbox.Key> recorded) {
    long queuedAt = System.nanoTime();
    try {
      wakeUps.execute(() -> sendWakeUp(recorded, queuedAt));
    } catch (RejectedExecutionException full) {
      dropped.increment();
    }
  }

  private void sendWakeUp(List<PaymentNotificationInbox.Key> recorded, long queuedAt) {
    if (System.nanoTime() - queuedAt > WAKE_UP_FRESH_FOR.toNanos()) {
      dropped.increment(); // the broker is slow: the redrive will settle these
      return;
    }
    MessageProperties headers = new MessageProperties();
    headers.setContentType(MessageProperties.CONTENT_TYPE_JSON);
    headers.setDeliveryMode(MessageDeliveryMode.PERSISTENT);
    try {
      // no wait for the confirm: the inbox rows are the record, the message only wakes a settler
      rabbit.send(exchange, "notified", new Message(json.writeValueAsBytes(recorded), headers));
    } catch (RuntimeException wakeUpLost) {
      dropped.increment();
      log.warn(
          "settlement of {} notifications not announced (the inbox redrive will settle them): {}",
          recorded.size(),
          wakeUpLost.toString());
    }
  }

  @Override
  public void destroy() {
    wakeUps.shutdownNow();
  }

  @Bean
  SimpleMessageListenerContainer settlementConsumer(
      ConnectionFactory connections, Settlement settlement, Roles roles) {
    SimpleMessageListenerContainer container = new SimpleMessageListenerContainer(connections);
    container.setQueueNames(queue);
    container.setAcknowledgeMode(AcknowledgeMode.MANUAL);
    container.setConcurrentConsumers(settlers);
    container.setPrefetchCount(50);
    container.setMissingQueuesFatal(false);
    container.setAutoStartup(roles.has(Roles.Role.PAYMENT));
    container.setMessageListener(
        (ChannelAwareMessageListener) (message, channel) -> consume(message, channel, settlement));
    return container;
  }

  /**
   * Settles every notification of the message; if any failed, the message is requeued — the ones
   * settled already are then found settled and skipped.
   */
  private void consume(Message message, Channel channel, Settlement settlement) throws IOException {
    long tag = message.getMessageProperties().getDeliveryTag();
    List<PaymentNotificationInbox.Key> keys;
    try {
      keys = json.readValue(message.getBody(), KEYS);
    } catch (RuntimeException unreadable) {
      log.error("dead-lettering an unreadable settlement message");
      channel.basicReject(tag, false);
      return;
    }
    RuntimeException failure = null;
    for (PaymentNotificationInbox.Key key : keys) {
      try {
        settlement.settle(key);
      } catch (RuntimeException failed) {
        log.warn("settling {} failed: {}", key, failed.toString());
        settlement.failed(key, failed);
        failure = failed;
      }
    }
    if (failure == null) {
      channel.basicAck(tag, false);
    } else {
      channel.basicNack(tag, false, true);
    }
  }
}
