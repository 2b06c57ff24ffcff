package io.railrush.app.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.railrush.app.testing.TcpProxy;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.TopicExchange;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

/**
 * A broker that takes publishes and sends no confirms (its replies held in a proxy): a relay batch
 * gives up after one confirm timeout in all, and reports every message not sent, so its rows go
 * back to the relays well inside their lease instead of after a timeout per message.
 */
@Tag("rabbitmq")
class RabbitTransportStalledBrokerTest {

  @Test
  void aBatchWaitsForItsConfirmsOnceNotOncePerMessage() throws Exception {
    String exchange = "railrush-stalled-" + UUID.randomUUID();
    CachingConnectionFactory direct = new CachingConnectionFactory("127.0.0.1", 5672);
    RabbitAdmin admin = new RabbitAdmin(direct);
    admin.declareExchange(new TopicExchange(exchange, false, true));
    try (TcpProxy proxy = TcpProxy.to("127.0.0.1", 5672)) {
      CachingConnectionFactory throughProxy =
          new CachingConnectionFactory("127.0.0.1", proxy.port());
      throughProxy.setPublisherConfirmType(CachingConnectionFactory.ConfirmType.CORRELATED);
      // as the nodes set spring.rabbitmq.channel-rpc-timeout: opening a channel may not hang
      throughProxy.getRabbitConnectionFactory().setChannelRpcTimeout(300);
      try {
        RabbitTransport transport =
            new RabbitTransport(new RabbitTemplate(throughProxy), exchange, Duration.ofMillis(300));
        assertThat(transport.send(batch(1)))
            .as("the broker confirms while replies flow")
            .containsExactly(new MessageTransport.Done());

        proxy.holdReplies();
        List<Message> batch = batch(50);
        // a confirm timeout per message would be 50 × 0.3 s = 15 s; so would a failed channel
        // open per message (a channel with confirms pending is not reused)
        List<MessageTransport.Handover> results =
            assertTimeoutPreemptively(Duration.ofSeconds(5), () -> transport.send(batch));
        assertThat(results)
            .hasSize(50)
            .allSatisfy(r -> assertThat(r).isInstanceOf(MessageTransport.NotSent.class));
        proxy.flow();
      } finally {
        throughProxy.destroy();
      }
    } finally {
      admin.deleteExchange(exchange);
      direct.destroy();
    }
  }

  private static List<Message> batch(int size) {
    return IntStream.range(0, size)
        .mapToObj(i -> new Message(UUID.randomUUID().toString(), "Probe", "{}", 1))
        .toList();
  }
}
