package io.railrush.app.grab;

import io.railrush.app.infra.PollingWorker;
import io.railrush.app.infra.Roles;
import io.railrush.app.order.OrderIntake;
import io.railrush.app.order.OrderRequest;
import io.railrush.kit.BackendUnavailableException;
import io.railrush.kit.batch.GroupCommit;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.annotation.Conditional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.ObjectMapper;

/**
 * Embedded mode's bus: an accepted grab is a row of {@code grab_outbox}, committed before the 202.
 * One in-process worker (order role) takes batches in order-number order and hands them to the same
 * writer the RabbitMQ consumer uses; a row is deleted in the writer's transaction (the ack), and a
 * failed batch stays to be retried: while the database refuses writes, as long as that lasts; when
 * the writer refuses a row itself, with its attempts counted, and past the delivery limit it stays
 * as a dead letter. Hand-written rather than Spring Modulith's publication registry: the writer
 * needs batches in one transaction, which the registry's per-event listeners do not give.
 */
@Component
@Conditional(GrabConfig.OnOutboxBus.class)
class OutboxGrabBus extends PollingWorker implements GrabBus, DisposableBean {

  private static final Logger log = LoggerFactory.getLogger(OutboxGrabBus.class);
  private static final int GROUP = 512;
  private static final int GROUP_WAITING = 16_384;

  private final JdbcClient jdbc;
  private final TransactionTemplate transactions;
  private final OrderIntake writer;
  private final ObjectMapper json;
  private final GrabProperties.Bus settings;
  private final Duration publishTimeout;
  private final JdbcTemplate batches;
  private final GroupCommit<GrabAccepted, Boolean> rows;

  OutboxGrabBus(
      JdbcClient jdbc,
      JdbcTemplate batches,
      TransactionTemplate transactions,
      OrderIntake writer,
      ObjectMapper json,
      GrabProperties properties,
      Roles roles) {
    super("grab-outbox", roles.has(Roles.Role.ORDER), Duration.ofMillis(100));
    this.jdbc = jdbc;
    this.transactions = transactions;
    this.writer = writer;
    this.json = json;
    this.settings = properties.bus();
    this.publishTimeout = properties.publishTimeout();
    this.batches = batches;
    this.rows =
        new GroupCommit<>(
            "grab-outbox-insert",
            BackendUnavailableException.DATABASE,
            GROUP,
            GROUP_WAITING,
            this::insertGroup);
  }

  /**
   * Returns once the grab's row has committed. Rows of concurrent requests are group-committed: one
   * batched insert and one commit for all that arrived while the previous group was written (each
   * commit is a write to H2's file, which profiling showed to be most of a request's time).
   */
  @Override
  public void publish(GrabAccepted grab) {
    try {
      rows.submit(grab).get(publishTimeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException failed) {
      // the group's transaction rolled back: the row is surely not there
      throw failed.getCause() instanceof RuntimeException cause
          ? cause
          : new IllegalStateException(failed.getCause());
    } catch (TimeoutException slow) {
      throw new PublishOutcomeUnknownException(grab.orderNo(), slow); // it may still commit
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PublishOutcomeUnknownException(grab.orderNo(), e);
    }
  }

  /** On the group writer's thread: one transaction, one batched insert, one wake-up. */
  private List<Boolean> insertGroup(List<GrabAccepted> group) {
    transactions.executeWithoutResult(
        tx ->
            batches.batchUpdate(
                "insert into grab_outbox (order_no, payload, accepted_at_ms) values (?, ?, ?)",
                group,
                group.size(),
                (statement, grab) -> {
                  statement.setString(1, grab.orderNo());
                  statement.setString(2, json.writeValueAsString(grab));
                  statement.setLong(3, grab.acceptedAtMs());
                }));
    wakeUp();
    return Collections.nCopies(group.size(), Boolean.TRUE);
  }

  @Override
  public void destroy() {
    rows.close();
  }

  @Override
  public long backlog() {
    return jdbc.sql("select count(*) from grab_outbox where attempts < ?")
        .param(settings.deliveryLimit())
        .query(Long.class)
        .single();
  }

  @Override
  public long dead() {
    return jdbc.sql("select count(*) from grab_outbox where attempts >= ?")
        .param(settings.deliveryLimit())
        .query(Long.class)
        .single();
  }

  @Override
  public int replayDead(int max) {
    List<String> dead =
        jdbc.sql("select order_no from grab_outbox where attempts >= ? order by order_no limit ?")
            .params(settings.deliveryLimit(), max)
            .query(String.class)
            .list();
    if (dead.isEmpty()) {
      return 0;
    }
    int replayed =
        jdbc.sql("update grab_outbox set attempts = 0 where order_no in (:nos)")
            .param("nos", dead)
            .update();
    wakeUp();
    return replayed;
  }

  private record Row(String orderNo, String payload) {}

  /** Delivers one batch; true when there was anything to deliver. */
  @Override
  protected boolean poll() {
    List<Row> batch =
        jdbc.sql(
                "select order_no, payload from grab_outbox where attempts < ? order by order_no limit ?")
            .params(settings.deliveryLimit(), settings.batchSize())
            .query((rs, n) -> new Row(rs.getString(1), rs.getString(2)))
            .list();
    if (batch.isEmpty()) {
      return false;
    }
    try {
      deliver(batch);
    } catch (RuntimeException batchFailed) {
      if (!WriteFailures.isPoison(batchFailed)) {
        // the database refuses writes: the rows wait, no attempt counted, a 202 never goes dead
        log.warn("database refuses the order writer; batch kept: {}", batchFailed.toString());
        sleepQuietly(1_000);
        return true;
      }
      log.warn(
          "order writer failed on a batch of {}; delivering one by one: {}",
          batch.size(),
          batchFailed.toString());
      for (Row row : batch) {
        try {
          deliver(List.of(row));
        } catch (RuntimeException failed) {
          if (!WriteFailures.isPoison(failed)) {
            log.warn("database refuses the order writer; rows kept: {}", failed.toString());
            break;
          }
          log.warn(
              "order writer failed on {}; attempt counted: {}", row.orderNo(), failed.toString());
          jdbc.sql("update grab_outbox set attempts = attempts + 1 where order_no = ?")
              .param(row.orderNo())
              .update();
        }
      }
      sleepQuietly(100);
    }
    return true;
  }

  private void deliver(List<Row> rows) {
    List<OrderRequest> grabs = new ArrayList<>(rows.size());
    for (Row row : rows) {
      grabs.add(json.readValue(row.payload(), GrabAccepted.class).toOrderRequest());
    }
    List<String> orderNos = rows.stream().map(Row::orderNo).toList();
    transactions.executeWithoutResult(
        tx -> {
          writer.write(grabs);
          jdbc.sql("delete from grab_outbox where order_no in (:nos)")
              .param("nos", orderNos)
              .update();
        });
  }

  private static void sleepQuietly(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
