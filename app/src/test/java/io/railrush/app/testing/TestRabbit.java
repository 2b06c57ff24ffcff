package io.railrush.app.testing;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;

/**
 * The machine's RabbitMQ (guest/guest on 127.0.0.1:5672): clean-up and fault injection for tests.
 */
public final class TestRabbit {

  private TestRabbit() {}

  /** Deletes the queues and exchanges of the bus {@code name} (durable: they outlive the test). */
  public static void deleteBus(String name) {
    CachingConnectionFactory connections = new CachingConnectionFactory("127.0.0.1", 5672);
    try {
      RabbitAdmin admin = new RabbitAdmin(connections);
      admin.deleteQueue(name + ".accepted");
      admin.deleteQueue(name + ".dead");
      admin.deleteExchange(name);
      admin.deleteExchange(name + ".dlx");
      admin.deleteQueue(name + ".payment.notified");
      admin.deleteQueue(name + ".payment.dead");
      admin.deleteExchange(name + ".payment");
      admin.deleteExchange(name + ".payment.dlx");
      admin.deleteQueue(name + ".events.promo");
      admin.deleteQueue(name + ".events.promo.retry");
      admin.deleteExchange(name + ".events");
    } finally {
      connections.destroy();
    }
  }

  /** Messages ready in queue {@code queue} (0 when it does not exist). */
  public static long messagesIn(String queue) {
    CachingConnectionFactory connections = new CachingConnectionFactory("127.0.0.1", 5672);
    try {
      var info = new RabbitAdmin(connections).getQueueInfo(queue);
      return info == null ? 0 : info.getMessageCount();
    } finally {
      connections.destroy();
    }
  }

  /** Closes every client connection the broker has (publishers and consumers alike). */
  public static void dropAllConnections() {
    try {
      Process p =
          new ProcessBuilder(
                  "rabbitmqctl",
                  "close_all_connections",
                  "railrush test: connections dropped on purpose")
              .redirectErrorStream(true)
              .start();
      String out = new String(p.getInputStream().readAllBytes());
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException("rabbitmqctl close_all_connections failed: " + out);
      }
    } catch (IOException e) {
      throw new IllegalStateException("rabbitmqctl is needed to drop broker connections", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
