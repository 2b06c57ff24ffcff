package io.railrush.bench;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConnectionFactory;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;

/** What a cluster scenario creates on the machine's servers for one run, and removes after it. */
public final class ScratchServers {

  private ScratchServers() {}

  /** Runs one statement as {@code postgres} (e.g. create or drop the run's database). */
  public static void sql(String url, String statement) throws Exception {
    try (Connection c = DriverManager.getConnection(url, "postgres", "");
        Statement s = c.createStatement()) {
      s.execute(statement);
    }
  }

  /** Deletes a bus's exchanges and queues (durable: they outlive the servers). */
  public static void deleteBus(String name) {
    ConnectionFactory factory = new ConnectionFactory();
    factory.setHost("127.0.0.1");
    try (com.rabbitmq.client.Connection connection = factory.newConnection();
        Channel channel = connection.createChannel()) {
      for (String queue : new String[] {".accepted", ".notified", ".dead"}) {
        channel.queueDelete(name + queue);
      }
      channel.exchangeDelete(name);
      channel.exchangeDelete(name + ".dlx");
    } catch (Exception e) {
      System.err.println("could not delete the bench's queues " + name + ": " + e);
    }
  }
}
