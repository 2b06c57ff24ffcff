package io.railrush.app.grab;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code railrush.grab.*}: the flash-sale gate and pipeline.
 *
 * @param strategy {@code pipeline} (gate → Redis reservation → queue → batched order writes) or
 *     {@code db-direct} (the naive flow: one database transaction per request; a baseline)
 * @param userWindow one grab attempt per user per window (in Redis terms {@code SET key v EX 5 NX})
 * @param bucketBurstPerSeat the run's token bucket holds this many tokens per seat (at least {@code
 *     bucketMinimum})
 * @param bucketRefillPerSeat tokens per second per seat
 * @param bucketMinimum the smallest bucket, so small runs still admit a burst
 * @param backlogLimit accepted grabs waiting for the order writer above which grabs are shed (503)
 * @param soldOutMemory how long a node answers SOLD_OUT from memory after seeing the run sold out
 * @param idempotencyTtl how long the answer to an {@code Idempotency-Key} is kept
 * @param reservationTimeout a reservation that has not become an active order after this long is
 *     returned (its node died before publishing, or its order failed)
 * @param reconcileEvery how often the (leader-elected) reconciler runs
 * @param backlogSampleEvery how often each node samples the order pipeline's backlog (the queue's
 *     depth: what sheds grabs and tells the reconciler the queue has drained)
 * @param publishTimeout how long a grab waits for the broker's publisher confirm
 * @param keyPrefix prefix of the Redis keys of stock ({@code stock:}), rate limits ({@code limit:})
 *     and Idempotency-Key answers ({@code idem:}); pending and abandoned orders are under {@code
 *     railrush.order.key-prefix}
 * @param bus the message bus between the gate and the order writer
 */
@ConfigurationProperties("railrush.grab")
public record GrabProperties(
    @DefaultValue("pipeline") Strategy strategy,
    @DefaultValue("5s") Duration userWindow,
    @DefaultValue("2.0") double bucketBurstPerSeat,
    @DefaultValue("1.0") double bucketRefillPerSeat,
    @DefaultValue("100") int bucketMinimum,
    @DefaultValue("10000") long backlogLimit,
    @DefaultValue("1s") Duration soldOutMemory,
    @DefaultValue("24h") Duration idempotencyTtl,
    @DefaultValue("60s") Duration reservationTimeout,
    @DefaultValue("5s") Duration reconcileEvery,
    @DefaultValue("250ms") Duration backlogSampleEvery,
    @DefaultValue("5s") Duration publishTimeout,
    @DefaultValue("railrush:grab:") String keyPrefix,
    @DefaultValue Bus bus) {

  /**
   * @param type {@code outbox} (embedded: a durable table delivered in-process) or {@code rabbitmq}
   *     (a quorum queue with publisher confirms and a dead-letter exchange)
   * @param name the exchange; queues are {@code <name>.accepted} and {@code <name>.dead}
   * @param batchSize accepted grabs written per database transaction
   * @param prefetch unacknowledged messages a consumer holds
   * @param deliveryLimit deliveries of one message before it is dead-lettered
   * @param bundle {@code rabbitmq}: the most accepted grabs of concurrent requests carried in one
   *     message (one queue entry and one publisher confirm for all of them); 1 sends each grab in a
   *     message of its own from its request thread
   */
  public record Bus(
      @DefaultValue("outbox") BusType type,
      @DefaultValue("railrush.grab") String name,
      @DefaultValue("500") int batchSize,
      @DefaultValue("1000") int prefetch,
      @DefaultValue("20") int deliveryLimit,
      @DefaultValue("256") int bundle) {}

  /** How a grab becomes an order. */
  public enum Strategy {
    /** gate → reservation ahead of the database → bus → batched order writes */
    PIPELINE,
    /**
     * one database transaction per request, no gate: the baseline the pipeline is measured against
     */
    DB_DIRECT
  }

  /** The bus between the gate and the order writer. */
  public enum BusType {
    /** a durable table in the application's database, delivered in-process (embedded mode) */
    OUTBOX,
    /** a RabbitMQ quorum queue with publisher confirms and a dead-letter exchange */
    RABBITMQ
  }
}
