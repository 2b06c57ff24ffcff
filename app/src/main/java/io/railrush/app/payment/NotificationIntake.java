package io.railrush.app.payment;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.railrush.kit.BackendUnavailableException;
import io.railrush.kit.batch.GroupCommit;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Service;

/**
 * The provider-facing half: a verified notification is written to the inbox (unique per provider
 * notification id, so a retry is recorded once) and settlers are woken; the provider is answered as
 * soon as the insert commits, long before its deadline.
 *
 * <p>Inserts are group-committed: the notifications of concurrent requests go to the database as
 * one batch in one transaction, and settlers are woken by one message per batch. A lone
 * notification is written at once; under a burst a request waits at most for the batch before its
 * own, and the database and broker see one commit and one message per batch instead of one per
 * notification.
 */
@Service
class NotificationIntake implements DisposableBean {

  private static final int MAX_BATCH = 256;
  private static final int MAX_WAITING = 8_192;

  // well inside a provider's ~1 s deadline for an answer is not possible when the database is
  // stuck; answering 503 lets the provider call again, and a late insert is then a retry recorded
  private static final Duration MAX_WAIT = Duration.ofSeconds(3);

  private final PaymentNotificationInbox inbox;
  private final SettlementBus bus;
  private final GroupCommit<PaymentNotificationInbox.Arrival, Boolean> writer;
  private final Counter recorded;
  private final Counter repeated;

  NotificationIntake(PaymentNotificationInbox inbox, SettlementBus bus, MeterRegistry meters) {
    this.inbox = inbox;
    this.bus = bus;
    this.writer =
        new GroupCommit<>(
            "payment-inbox-writer",
            BackendUnavailableException.DATABASE,
            MAX_BATCH,
            MAX_WAITING,
            this::recordBatch);
    this.recorded =
        Counter.builder("railrush.payments.notifications").tag("recorded", "new").register(meters);
    this.repeated =
        Counter.builder("railrush.payments.notifications")
            .tag("recorded", "before")
            .register(meters);
    Gauge.builder("railrush.payments.inbox.waiting", writer, GroupCommit::waiting)
        .description("verified notifications waiting for the inbox's group insert")
        .register(meters);
  }

  /**
   * Records it (once) and wakes a settler; returns when the record is durable.
   *
   * @param arrivedAt when the provider's request arrived: the instant compared with the order's
   *     payment window
   */
  void accept(VerifiedNotification notification, Instant arrivedAt) {
    boolean isNew;
    try {
      isNew =
          writer
              .submit(new PaymentNotificationInbox.Arrival(notification, arrivedAt))
              .get(MAX_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | CompletionException failed) {
      throw failed.getCause() instanceof RuntimeException cause
          ? cause
          : new IllegalStateException(failed.getCause());
    } catch (TimeoutException slow) {
      throw new BackendUnavailableException(
          BackendUnavailableException.DATABASE,
          "the notification inbox did not commit within " + MAX_WAIT.toMillis() + " ms");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while recording a notification", e);
    }
    (isNew ? recorded : repeated).increment();
  }

  /** On the writer thread: one transaction for the batch, then one wake-up for what was new. */
  private List<Boolean> recordBatch(List<PaymentNotificationInbox.Arrival> batch) {
    List<Boolean> fresh = inbox.recordAll(batch);
    List<PaymentNotificationInbox.Key> recordedNow = new ArrayList<>();
    for (int i = 0; i < batch.size(); i++) {
      if (fresh.get(i)) {
        recordedNow.add(PaymentNotificationInbox.Key.of(batch.get(i).notification()));
      }
    }
    if (!recordedNow.isEmpty()) {
      bus.announce(recordedNow); // never blocks: see SettlementBus
    }
    return fresh;
  }

  @Override
  public void destroy() {
    writer.close();
  }
}
