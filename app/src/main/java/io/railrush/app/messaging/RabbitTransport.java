package io.railrush.app.messaging;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.connection.CorrelationData;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Conditional;
import org.springframework.stereotype.Component;

/**
 * Cluster mode: each message is published to the events topic exchange (routing key: its type),
 * persistent, and counted as sent only when the broker confirms it. The whole batch is published
 * before the confirms are awaited, so a batch costs about one round trip, and the batch shares one
 * deadline: a stalled broker costs a batch about {@link #CONFIRM_TIMEOUT} plus one channel RPC
 * timeout in all, not that much per message (a 1,000-row batch would otherwise outlive its lease
 * many times over).
 */
@Component
@Conditional(MessageTransport.OnRabbit.class)
class RabbitTransport implements MessageTransport {

  static final String ATTEMPT_HEADER = "x-railrush-attempt";
  static final Duration CONFIRM_TIMEOUT = Duration.ofSeconds(5);

  private final RabbitTemplate rabbit;
  private final String exchange;
  private final Duration confirmTimeout;

  @Autowired
  RabbitTransport(RabbitTemplate rabbit, MessagingProperties properties) {
    this(rabbit, properties.exchange(), CONFIRM_TIMEOUT);
  }

  RabbitTransport(RabbitTemplate rabbit, String exchange, Duration confirmTimeout) {
    this.rabbit = rabbit;
    this.exchange = exchange;
    this.confirmTimeout = confirmTimeout;
  }

  static Message amqp(io.railrush.app.messaging.Message message) {
    MessageProperties headers = new MessageProperties();
    headers.setMessageId(message.id());
    headers.setType(message.type());
    headers.setContentType(MessageProperties.CONTENT_TYPE_JSON);
    headers.setDeliveryMode(MessageDeliveryMode.PERSISTENT);
    headers.setHeader(ATTEMPT_HEADER, message.attempt());
    return new Message(message.payload().getBytes(StandardCharsets.UTF_8), headers);
  }

  @Override
  public List<Handover> send(List<io.railrush.app.messaging.Message> batch) {
    long deadline = System.nanoTime() + confirmTimeout.toNanos();
    List<CorrelationData> confirms = new ArrayList<>(batch.size());
    boolean publishing = true;
    for (io.railrush.app.messaging.Message message : batch) {
      // after a failed publish the rest is not tried: each try may block for a channel RPC
      // timeout (a channel with confirms pending is not reused, so a stalled broker means opening
      // a new one), and the lease is for the whole batch
      publishing = publishing && System.nanoTime() < deadline;
      CorrelationData confirm = publishing ? new CorrelationData(message.id()) : null;
      if (confirm != null) {
        try {
          rabbit.send(exchange, message.type(), amqp(message.withAttempt(1)), confirm);
        } catch (RuntimeException notPublished) {
          confirm = null;
          publishing = false;
        }
      }
      confirms.add(confirm);
    }
    List<Handover> results = new ArrayList<>(batch.size());
    for (CorrelationData confirm : confirms) {
      results.add(awaitConfirm(confirm, deadline));
    }
    return results;
  }

  private static Handover awaitConfirm(CorrelationData confirm, long deadline) {
    if (confirm == null) {
      return new NotSent("not published");
    }
    // an unroutable message (no consumer binds its type) is returned and still confirmed: nobody
    // listens to it, which is not a reason to send it again
    String unconfirmed = unconfirmed(confirm, deadline);
    return unconfirmed == null ? new Done() : new NotSent(unconfirmed);
  }

  /**
   * Waits until {@code deadline} ({@link System#nanoTime()}) for the broker's confirm of a publish:
   * null when it was acked, else why not. A confirm already in is read even past the deadline.
   */
  static String unconfirmed(CorrelationData confirm, long deadline) {
    try {
      CorrelationData.Confirm answer =
          confirm.getFuture().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      return answer.ack() ? null : "nacked: " + answer.reason();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    } catch (Exception noConfirm) {
      return "no confirm: " + noConfirm;
    }
  }
}
