package io.railrush.app.messaging;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.connection.CorrelationData;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.context.annotation.Conditional;
import org.springframework.stereotype.Component;

/**
 * Cluster mode: each message is published to the events topic exchange (routing key: its type),
 * persistent, and counted as sent only when the broker confirms it. The whole batch is published
 * before the confirms are awaited, so a batch costs about one round trip.
 */
@Component
@Conditional(MessageTransport.OnRabbit.class)
class RabbitTransport implements MessageTransport {

  static final String ATTEMPT_HEADER = "x-railrush-attempt";
  private static final long CONFIRM_TIMEOUT_MS = 5_000;

  private final RabbitTemplate rabbit;
  private final String exchange;

  RabbitTransport(RabbitTemplate rabbit, MessagingProperties properties) {
    this.rabbit = rabbit;
    this.exchange = properties.exchange();
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
    List<CorrelationData> confirms = new ArrayList<>(batch.size());
    List<Handover> results = new ArrayList<>(batch.size());
    for (io.railrush.app.messaging.Message message : batch) {
      CorrelationData confirm = new CorrelationData(message.id());
      try {
        rabbit.send(exchange, message.type(), amqp(message.withAttempt(1)), confirm);
        confirms.add(confirm);
      } catch (RuntimeException notPublished) {
        confirms.add(null);
      }
    }
    for (CorrelationData confirm : confirms) {
      results.add(awaitConfirm(confirm));
    }
    return results;
  }

  private static Handover awaitConfirm(CorrelationData confirm) {
    if (confirm == null) {
      return new NotSent("the publish failed");
    }
    // an unroutable message (no consumer binds its type) is returned and still confirmed: nobody
    // listens to it, which is not a reason to send it again
    String unconfirmed = unconfirmed(confirm);
    return unconfirmed == null ? new Done() : new NotSent(unconfirmed);
  }

  /** Waits for the broker's confirm of a publish: null when it was acked, else why not. */
  static String unconfirmed(CorrelationData confirm) {
    try {
      CorrelationData.Confirm answer =
          confirm.getFuture().get(CONFIRM_TIMEOUT_MS, TimeUnit.MILLISECONDS);
      return answer.ack() ? null : "nacked: " + answer.reason();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    } catch (Exception noConfirm) {
      return "no confirm: " + noConfirm;
    }
  }
}
