package io.railrush.app.grab;

import com.rabbitmq.client.Channel;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.railrush.app.infra.Roles;
import io.railrush.app.order.OrderIntake;
import io.railrush.kit.batch.GroupCommit;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
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
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.ObjectMapper;

/**
 * The cluster's bus: RabbitMQ. Accepted grabs go to a durable quorum queue as persistent messages,
 * the grabs of concurrent requests bundled into one message (a JSON array); the gate answers 202
 * only after the broker's publisher confirm for the message holding the grab. Order-role nodes
 * consume in batches with manual acks after the batch's transaction commits (a crash before the ack
 * means redelivery, which the writer skips). While the database refuses writes a batch is held, not
 * requeued. A grab the writer itself refuses is requeued in a message of its own; after {@code
 * deliveryLimit} deliveries it goes, alone, to the dead-letter exchange and its queue {@code
 * <name>.dead}, as does a message that cannot be read.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(GrabConfig.OnRabbitBus.class)
class RabbitGrabBus implements GrabBus, DisposableBean {

  private static final Logger log = LoggerFactory.getLogger(RabbitGrabBus.class);

  /** The longest wait between two tries of a parked batch: how late a recovery is noticed. */
  private static final long MAX_PARK_PAUSE_MILLIS = 5_000;

  /** Grabs that may wait for the bundle being confirmed; a grab past them is refused (503). */
  private static final int BUNDLES_WAITING = 16_384;

  private final RabbitTemplate rabbit;
  private final RabbitAdmin admin;
  private final CachingConnectionFactory rawConnections;
  private final ObjectMapper json;
  private final GrabProperties properties;

  /** Accepted grabs this node holds unacknowledged while the database refuses writes. */
  private final AtomicInteger parked = new AtomicInteger();

  /** Sends the grabs of concurrent requests as one message; null when bundling is off. */
  private final GroupCommit<Handoff, Boolean> bundles;

  private final DistributionSummary bundleSize;

  /**
   * Grabs per message this node has sent lately (moving average): the broker counts messages, the
   * backlog is wanted in grabs. Written by the publisher thread only.
   */
  private volatile double grabsPerMessage = 1;

  /**
   * A grab handed to the publisher thread. Whoever claims it first decides: the publisher, to put
   * it in a message; or its request, giving up on the wait — then it is surely never sent.
   */
  private static final class Handoff {
    private final GrabAccepted grab;
    private final AtomicBoolean claimed = new AtomicBoolean();

    Handoff(GrabAccepted grab) {
      this.grab = grab;
    }

    boolean claim() {
      return claimed.compareAndSet(false, true);
    }
  }

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
    this.bundleSize =
        DistributionSummary.builder("railrush.grabs.bundle")
            .description("accepted grabs per broker message")
            .register(meters);
    int bundle = properties.bus().bundle();
    this.bundles =
        bundle <= 1
            ? null
            : new GroupCommit<>(
                "grab-publisher", "rabbitmq", bundle, BUNDLES_WAITING, this::sendBundle);
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

  /**
   * Returns once the broker has confirmed a message holding the grab. With bundling on, the grabs
   * of concurrent requests travel together: one message, one quorum-queue entry and one confirm for
   * all that arrived while the previous bundle was being confirmed (the broker's work per message
   * is what a 202 cost here). A lone grab is sent at once, alone.
   */
  @Override
  public void publish(GrabAccepted grab) {
    if (bundles == null) {
      sendConfirmed(List.of(grab));
      bundleSize.record(1);
      return;
    }
    Handoff handoff = new Handoff(grab);
    try {
      bundles.submit(handoff).get(properties.publishTimeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException failed) {
      Throwable cause = failed.getCause();
      if (cause instanceof PublishOutcomeUnknownException bundleUnknown) {
        throw new PublishOutcomeUnknownException(grab.orderNo(), bundleUnknown);
      }
      if (cause instanceof RuntimeException notStored) {
        throw notStored; // not sent, unroutable or refused by the broker, or too many waiting
      }
      throw new PublishOutcomeUnknownException(grab.orderNo(), cause); // an Error, maybe after
    } catch (TimeoutException slow) {
      throw givenUp(handoff, slow);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw givenUp(handoff, e);
    }
  }

  /** The request stops waiting: a grab the publisher has not claimed yet never will be sent. */
  private RuntimeException givenUp(Handoff handoff, Exception why) {
    return handoff.claim()
        ? new IllegalStateException("not sent within the publish timeout", why)
        : new PublishOutcomeUnknownException(handoff.grab.orderNo(), why);
  }

  /** On the publisher thread: the grabs still wanted, in one message, confirmed. */
  private List<Boolean> sendBundle(List<Handoff> handoffs) {
    List<GrabAccepted> grabs = new ArrayList<>(handoffs.size());
    for (Handoff handoff : handoffs) {
      if (handoff.claim()) {
        grabs.add(handoff.grab);
      }
    }
    if (!grabs.isEmpty()) {
      bundleSize.record(grabs.size());
      grabsPerMessage += (grabs.size() - grabsPerMessage) * 0.05;
      sendConfirmed(grabs);
    }
    return Collections.nCopies(handoffs.size(), Boolean.TRUE);
  }

  /** Sends one message holding {@code grabs} (a JSON array) and waits for the broker's confirm. */
  private void sendConfirmed(List<GrabAccepted> grabs) {
    String first = grabs.get(0).orderNo();
    MessageProperties headers = new MessageProperties();
    headers.setContentType(MessageProperties.CONTENT_TYPE_JSON);
    headers.setDeliveryMode(MessageDeliveryMode.PERSISTENT);
    headers.setMessageId(grabs.size() == 1 ? first : first + "+" + (grabs.size() - 1));
    Message message = new Message(json.writeValueAsBytes(grabs), headers);
    CorrelationData correlation = new CorrelationData(first);
    rabbit.send(exchange(), "accepted", message, correlation); // throws if it cannot even be sent
    CorrelationData.Confirm confirm;
    try {
      confirm =
          correlation
              .getFuture()
              .get(properties.publishTimeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PublishOutcomeUnknownException(first, e);
    } catch (ExecutionException | TimeoutException e) {
      throw new PublishOutcomeUnknownException(first, e); // sent: the broker may have it
    }
    if (correlation.getReturned() != null) {
      throw new IllegalStateException("no queue took " + first); // unroutable: not stored
    }
    if (!confirm.ack()) {
      if (confirm.reason() != null) {
        // a nack the client made up when the channel closed with the confirm pending: the broker
        // may hold the message all the same (its own basic.nack carries no reason)
        throw new PublishOutcomeUnknownException(
            first, new IllegalStateException(confirm.reason()));
      }
      throw new IllegalStateException("broker refused " + first);
    }
  }

  @Override
  public void destroy() {
    if (bundles != null) {
      bundles.close();
    }
  }

  /**
   * Grabs waiting in the queue: its message count times the grabs per message this node has sent
   * lately — an estimate, for shedding and for the seeding margin, where a counter briefly too high
   * costs FAILED orders at the database guard, never an oversold seat.
   */
  @Override
  public long backlog() {
    QueueInformation info = admin.getQueueInfo(queue());
    return info == null ? 0 : Math.round(info.getMessageCount() * grabsPerMessage);
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

  /** A message taken from the queue: the grabs it holds. */
  private record Delivery(long tag, List<GrabAccepted> grabs) {}

  private void consume(List<Message> messages, Channel channel, OrderIntake writer) {
    try {
      List<Delivery> deliveries = new ArrayList<>(messages.size());
      for (Message message : messages) {
        long tag = message.getMessageProperties().getDeliveryTag();
        try {
          deliveries.add(new Delivery(tag, read(message.getBody())));
        } catch (RuntimeException unreadable) {
          log.error(
              "dead-lettering an unreadable grab message: {}",
              new String(message.getBody(), StandardCharsets.UTF_8));
          channel.basicReject(tag, false);
        }
      }
      // whole messages per transaction, about batchSize grabs each (a bundle is never split here)
      int from = 0;
      while (from < deliveries.size()) {
        int to = from + 1;
        int grabs = deliveries.get(from).grabs().size();
        while (to < deliveries.size()
            && grabs + deliveries.get(to).grabs().size() <= properties.bus().batchSize()) {
          grabs += deliveries.get(to++).grabs().size();
        }
        writeAndAck(deliveries.subList(from, to), channel, writer);
        from = to;
      }
    } catch (IOException | RuntimeException channelLost) {
      // the broker redelivers what was not acked; the writer skips what it already wrote
      log.warn("grab batch not acknowledged: {}", channelLost.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * A message's grabs: a JSON array, or a single object (a message from a node that sent one grab
   * per message, or a dead letter from then).
   */
  private List<GrabAccepted> read(byte[] body) {
    for (byte b : body) {
      if (!Character.isWhitespace(b)) {
        List<GrabAccepted> grabs =
            b == '['
                ? List.of(json.readValue(body, GrabAccepted[].class))
                : List.of(json.readValue(body, GrabAccepted.class));
        if (grabs.isEmpty()) {
          break;
        }
        return grabs;
      }
    }
    throw new IllegalArgumentException("a message without a grab");
  }

  private void writeAndAck(List<Delivery> deliveries, Channel channel, OrderIntake writer)
      throws IOException, InterruptedException {
    List<GrabAccepted> grabs = deliveries.stream().flatMap(d -> d.grabs().stream()).toList();
    if (writeParkingWhileTheDatabaseRefuses(writer, grabs)) {
      channel.basicAck(deliveries.getLast().tag(), true);
      return;
    }
    // something in the batch itself fails: message by message, so only its message goes back
    for (Delivery delivery : deliveries) {
      if (writeParkingWhileTheDatabaseRefuses(writer, delivery.grabs())) {
        channel.basicAck(delivery.tag(), false);
      } else if (delivery.grabs().size() == 1) {
        log.error("order writer refuses {}; requeued", delivery.grabs().get(0).orderNo());
        channel.basicNack(delivery.tag(), false, true);
      } else {
        splitBundle(delivery, channel, writer);
      }
    }
  }

  /**
   * A bundle the writer refuses: its grabs are written one at a time, then each one refused is sent
   * back to the queue alone (confirmed) and the bundle is acked — so only that grab counts
   * deliveries towards the dead letters, and every dead letter holds one grab. If sending one back
   * fails, the bundle is requeued; its other grabs are written by then, and the writer skips them.
   */
  private void splitBundle(Delivery bundle, Channel channel, OrderIntake writer)
      throws IOException, InterruptedException {
    List<GrabAccepted> refused = new ArrayList<>();
    for (GrabAccepted grab : bundle.grabs()) {
      if (!writeParkingWhileTheDatabaseRefuses(writer, List.of(grab))) {
        refused.add(grab);
      }
    }
    try {
      for (GrabAccepted grab : refused) {
        log.error("order writer refuses {}; sent back to the queue alone", grab.orderNo());
        sendConfirmed(List.of(grab));
      }
      channel.basicAck(bundle.tag(), false);
    } catch (RuntimeException notSentBack) {
      log.warn(
          "a refused grab could not be sent back; bundle requeued: {}", notSentBack.toString());
      channel.basicNack(bundle.tag(), false, true);
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
