package io.railrush.app.payment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.railrush.app.testing.ClusterNode;
import io.railrush.app.testing.Payments;
import io.railrush.app.testing.TestDatabases;
import io.railrush.bench.payment.PaymentProviderSimulator;
import io.railrush.kit.testing.TestRedis;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A buyer pays in the last half second of the payment window, and the inbox is slow to record the
 * notification: its insert is held back by a test transaction's lock on the inbox table. The order
 * must end PAID — not cancelled by the sweeper and then REFUND_NEEDED — because the request arrived
 * in time. Window 5 s, grace 4 s, the sweeper every 100 ms.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class PaymentInTheWindowsLastSecondContract {

  protected abstract TestDatabases.Database freshDatabase();

  /** Holds back every insert into (and read of) the inbox table until {@link #releaseInbox}. */
  protected abstract void holdInbox(Statement statement) throws Exception;

  protected abstract void releaseInbox(Connection connection) throws Exception;

  /** Whether a session waits on a payment row's lock taken by primary key ({@code for update}). */
  protected abstract boolean aSweeperWaitsForAPaymentLock(Statement statement) throws Exception;

  private static final Duration WINDOW = Duration.ofSeconds(5);
  private static final Duration GRACE = Duration.ofSeconds(4);

  private final PaymentProviderSimulator provider =
      new PaymentProviderSimulator(ClusterNode.SIM_SECRET);
  private TestDatabases.Database db;
  private ClusterNode node;
  private Payments payments;
  private JdbcClient jdbc;

  @BeforeAll
  void start() {
    db = freshDatabase();
    node =
        ClusterNode.start(
            db,
            TestRedis.URL,
            TestRedis.uniquePrefix("last-second"),
            Map.of(
                "railrush.order.payment-window",
                WINDOW.toMillis() + "ms",
                "railrush.order.payment-grace",
                GRACE.toMillis() + "ms",
                "railrush.order.sweep-every",
                "100ms",
                "railrush.payment.query-after",
                "1h",
                "railrush.payment.sim.query-url",
                provider.queryUrl()));
    payments = new Payments(node.api());
    jdbc = node.bean(JdbcClient.class);
  }

  @AfterAll
  void stop() {
    node.close();
    provider.close();
  }

  /** The insert held back from before the notification until 0.6 s after the window's end. */
  @Test
  void aNotificationArrivingInTheLastHalfSecondWhileTheInboxIsHeldBackPaysTheOrder()
      throws Exception {
    Payments.Paying paying = payments.createdOrderWithPayment("sim");
    long windowEnd = createdAtMs(paying) + WINDOW.toMillis();
    try (Connection blocker = lockInbox()) {
      CompletableFuture<Integer> answer = notifyAt(paying, windowEnd - 400);
      sleepUntil(windowEnd + 600);
      assertThat(orderStatus(paying)).as("the window has ended").isEqualTo("CREATED");
      releaseInbox(blocker);
      answer.join();
    }
    assertPaid(paying);
  }

  /**
   * The insert held back until the sweeper's cancel of this very order has started: the cancel must
   * wait for the notification's commit (the payment row it holds) and then spare the order.
   */
  @Test
  void aCancelThatStartsWhileTheNotificationIsBeingRecordedWaitsForItAndSparesTheOrder()
      throws Exception {
    Payments.Paying paying = payments.createdOrderWithPayment("sim");
    long windowEnd = createdAtMs(paying) + WINDOW.toMillis();
    try (Connection blocker = lockInbox()) {
      CompletableFuture<Integer> answer = notifyAt(paying, windowEnd - 400);
      sleepUntil(windowEnd + GRACE.toMillis());
      // the sweeper asks now: its cancel must be seen waiting for the payment's lock
      long until = System.currentTimeMillis() + 5_000;
      boolean waiting = false;
      while (!waiting && System.currentTimeMillis() < until) {
        waiting = aSweeperWaitsForAPaymentLock();
        Thread.sleep(20);
      }
      releaseInbox(blocker);
      assertThat(waiting).as("the sweeper's cancel waited for the notification's lock").isTrue();
      answer.join();
    }
    assertPaid(paying);
  }

  private void assertPaid(Payments.Paying paying) {
    await().atMost(Duration.ofSeconds(30)).until(() -> !"CREATED".equals(orderStatus(paying)));
    assertThat(orderStatus(paying)).isEqualTo("PAID");
    assertThat(
            jdbc.sql("select status from payment where out_trade_no = ?")
                .param(paying.outTradeNo())
                .query(String.class)
                .single())
        .isEqualTo("PAID");
    assertThat(payments.sold(paying.runId())).isEqualTo(1);
  }

  private String orderStatus(Payments.Paying paying) {
    return jdbc.sql("select status from ticket_order where order_no = ?")
        .param(paying.orderNo())
        .query(String.class)
        .single();
  }

  private long createdAtMs(Payments.Paying paying) {
    return jdbc.sql("select created_at_ms from ticket_order where order_no = ?")
        .param(paying.orderNo())
        .query(Long.class)
        .single();
  }

  private Connection lockInbox() throws Exception {
    Connection connection = DriverManager.getConnection(db.url(), db.username(), "");
    try (Statement statement = connection.createStatement()) {
      holdInbox(statement);
    }
    return connection;
  }

  private CompletableFuture<Integer> notifyAt(Payments.Paying paying, long atMs) {
    URI notify = URI.create(node.api().uri("/api/v1/payments/notify/sim"));
    return CompletableFuture.supplyAsync(
        () -> {
          sleepUntil(atMs);
          return provider.send(notify, provider.pay(paying.outTradeNo(), paying.amountCents()));
        });
  }

  private boolean aSweeperWaitsForAPaymentLock() throws Exception {
    try (Connection connection = DriverManager.getConnection(db.url(), db.username(), "");
        Statement statement = connection.createStatement()) {
      return aSweeperWaitsForAPaymentLock(statement);
    }
  }

  private static void sleepUntil(long epochMs) {
    long left;
    while ((left = epochMs - System.currentTimeMillis()) > 0) {
      try {
        Thread.sleep(left);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }
}
