package io.railrush.app.payment;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.railrush.app.infra.Outages;
import io.railrush.app.order.OrderPayments;
import io.railrush.kit.lock.LockHandle;
import io.railrush.kit.lock.LockService;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.TransactionException;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Settles recorded notifications, each exactly once however often it arrives and on however many
 * nodes: under the lock kit's lock on the trade (its fencing token recorded with the settlement),
 * in one transaction — the notification marked settled only if it was not, the idempotency record
 * of the provider's trade, the payment (its row locked first) moved out of PENDING only if it is
 * still PENDING, and the order moved CREATED → PAID through the order module, and {@link
 * PaymentSucceeded} in the outbox. A failure anywhere rolls all of it back and the notification
 * stays unsettled, to be settled again.
 */
@Service
class Settlement {

  private static final Logger log = LoggerFactory.getLogger(Settlement.class);

  /** Failures of a notification's own settlement after which a person looks at it. */
  static final int MAX_FAILURES = 10;

  private static final Duration LOCK_WAIT = Duration.ofSeconds(10);
  private static final Duration LOCK_LEASE = Duration.ofSeconds(30);

  private final PaymentNotificationInbox inbox;
  private final PaymentRepository payments;
  private final OrderPayments orders;
  private final LockService locks;
  private final TransactionTemplate transactions;
  private final ApplicationEventPublisher events;
  private final PaymentProperties properties;
  private final Clock clock;
  private final Map<SettlementOutcome, Counter> outcomes = new EnumMap<>(SettlementOutcome.class);

  Settlement(
      PaymentNotificationInbox inbox,
      PaymentRepository payments,
      OrderPayments orders,
      LockService locks,
      TransactionTemplate transactions,
      ApplicationEventPublisher events,
      PaymentProperties properties,
      Clock clock,
      MeterRegistry meters) {
    this.inbox = inbox;
    this.payments = payments;
    this.orders = orders;
    this.locks = locks;
    this.transactions = transactions;
    this.events = events;
    this.properties = properties;
    this.clock = clock;
    for (SettlementOutcome outcome : SettlementOutcome.values()) {
      outcomes.put(
          outcome,
          Counter.builder("railrush.payments.settled")
              .tag("outcome", outcome.name().toLowerCase(java.util.Locale.ROOT))
              .register(meters));
    }
  }

  /**
   * Settles the notification if it is still unsettled; returns what was done (empty: it was settled
   * before, or another node is settling it right now).
   */
  Optional<SettlementOutcome> settle(PaymentNotificationInbox.Key key) {
    Optional<PaymentNotificationInbox.Recorded> recorded = inbox.find(key);
    if (recorded.isEmpty() || recorded.get().settled()) {
      return Optional.empty();
    }
    String trade = recorded.get().notification().outTradeNo();
    Optional<LockHandle> lock = locks.tryAcquire("payment:" + trade, LOCK_WAIT, LOCK_LEASE);
    if (lock.isEmpty()) {
      throw new SettlingElsewhere("trade " + trade + " is being settled elsewhere; retry");
    }
    try (LockHandle held = lock.get()) {
      Optional<SettlementOutcome> outcome =
          Optional.ofNullable(transactions.execute(tx -> settleLocked(key, held.fencingToken())));
      outcome.ifPresent(o -> outcomes.get(o).increment());
      return outcome;
    }
  }

  /** Another settler has the trade: nothing is wrong with the notification, retry it later. */
  static final class SettlingElsewhere extends RuntimeException {
    SettlingElsewhere(String message) {
      super(message);
    }
  }

  /**
   * Records that settling {@code key} failed: one more attempt (fewest first, so a notification
   * that keeps failing never holds back the others). When the failure is the notification's own —
   * anything but a store that is away or contended (the database unreachable, timed out or failing
   * over, the lock service away, another settler on the trade) — and it has failed {@value
   * #MAX_FAILURES} times, it goes to REVIEW, so it is not retried for ever; an outage alone sends
   * no payment to a person. Never throws: the caller must still ack or nack its message.
   */
  void failed(PaymentNotificationInbox.Key key, RuntimeException failure) {
    try {
      int failures = inbox.countAttempt(key);
      if (!isTransient(failure)
          && failures >= MAX_FAILURES
          && inbox.settle(
              key,
              SettlementOutcome.REVIEW,
              "settlement failed " + failures + " times: " + failure,
              clock.instant())) {
        outcomes.get(SettlementOutcome.REVIEW).increment();
        log.warn("notification {} needs a person: settlement failed {} times", key, failures);
      }
    } catch (RuntimeException notRecorded) {
      log.warn("failure of {} not recorded: {}", key, notRecorded.toString());
    }
  }

  private static boolean isTransient(RuntimeException failure) {
    return failure instanceof SettlingElsewhere
        || failure instanceof TransactionException // as before: a commit that could not complete
        || Outages.isOutage(failure);
  }

  private SettlementOutcome settleLocked(PaymentNotificationInbox.Key key, long fence) {
    PaymentNotificationInbox.Recorded recorded = inbox.find(key).orElseThrow();
    if (recorded.settled()) {
      return null; // settled by the previous holder of the lock
    }
    VerifiedNotification n = recorded.notification();
    Instant now = clock.instant();
    Decision decision = decide(n, fence, now);
    if (!inbox.settle(key, decision.outcome(), decision.reason(), now)) {
      throw new SettlingElsewhere("notification " + key + " settled concurrently");
    }
    if (decision.outcome() == SettlementOutcome.REVIEW
        || decision.outcome() == SettlementOutcome.REFUND_NEEDED) {
      log.warn(
          "payment {} from {} needs a person ({}): {}",
          n.outTradeNo(),
          n.provider().wireName(),
          decision.outcome(),
          decision.reason());
    }
    return decision.outcome();
  }

  private record Decision(SettlementOutcome outcome, String reason) {}

  private Decision decide(VerifiedNotification n, long fence, Instant now) {
    Optional<Payment> found = payments.findForUpdate(n.outTradeNo());
    if (found.isEmpty()) {
      return new Decision(SettlementOutcome.REVIEW, "unknown trade " + n.outTradeNo());
    }
    Payment payment = found.get();
    if (payment.provider() != n.provider()) {
      return new Decision(
          SettlementOutcome.REVIEW, "the payment was created for " + payment.provider().wireName());
    }
    String wrongParty = wrongParty(n);
    if (wrongParty != null) {
      return flag(payment, PaymentStatus.REVIEW, wrongParty, n, fence, now);
    }
    if (n.amountCents() != payment.amountCents()) {
      return flag(
          payment,
          PaymentStatus.REVIEW,
          "amount mismatch: notified " + n.amountCents() + ", expected " + payment.amountCents(),
          n,
          fence,
          now);
    }
    return switch (n.state()) {
      case WAITING -> new Decision(SettlementOutcome.IGNORED, "not paid yet");
      case FAILED, CLOSED ->
          payment.status() == PaymentStatus.PENDING
              ? flag(payment, PaymentStatus.FAILED, "provider says " + n.state(), n, fence, now)
              : new Decision(
                  SettlementOutcome.REVIEW,
                  "provider says " + n.state() + " of a payment that is " + payment.status());
      case PAID -> paid(payment, n, fence, now);
    };
  }

  private Decision paid(Payment payment, VerifiedNotification n, long fence, Instant now) {
    String trade = n.transactionId() == null ? n.outTradeNo() : n.transactionId();
    if (payments.settlementExists(n.provider(), trade)
        || payment.status() == PaymentStatus.PAID
        || payment.status() == PaymentStatus.REFUND_NEEDED) {
      return new Decision(SettlementOutcome.DUPLICATE, "settled before");
    }
    if (payment.status() != PaymentStatus.PENDING) {
      return new Decision(SettlementOutcome.REVIEW, "paid, but the payment is " + payment.status());
    }
    OrderPayments.Marking marking = orders.markPaid(payment.orderNo(), now);
    boolean applied = marking.outcome() == OrderPayments.Marked.PAID;
    PaymentStatus status = applied ? PaymentStatus.PAID : PaymentStatus.REFUND_NEEDED;
    String reason =
        switch (marking.outcome()) {
          case PAID -> null;
          case ALREADY_PAID -> "the order was already paid by another payment";
          case NOT_PAYABLE -> "the order is no longer payable (cancelled or failed)";
        };
    if (!payments.settle(payment.outTradeNo(), status, n.transactionId(), reason, fence, now)) {
      // not PENDING any more, though it was when read under this transaction's lock: impossible
      // unless the row was written outside settlement; roll everything back and retry
      throw new SettlingElsewhere("payment " + payment.outTradeNo() + " changed while settled");
    }
    SettlementOutcome outcome =
        applied ? SettlementOutcome.APPLIED : SettlementOutcome.REFUND_NEEDED;
    payments.recordSettlement(n.provider(), trade, payment.outTradeNo(), outcome, fence, now);
    if (applied) {
      PaymentSucceeded succeeded =
          new PaymentSucceeded(
              payment.outTradeNo(),
              payment.orderNo(),
              payment.userId(),
              payment.provider().wireName(),
              payment.amountCents(),
              marking.order().couponId());
      events.publishEvent(
          succeeded); // an external event: written to the outbox in this transaction
    }
    return new Decision(outcome, reason);
  }

  /** Moves a PENDING payment to {@code status} (if still PENDING) and records it for review. */
  private Decision flag(
      Payment payment,
      PaymentStatus status,
      String reason,
      VerifiedNotification n,
      long fence,
      Instant now) {
    if (payment.status() == PaymentStatus.PENDING) {
      payments.settle(payment.outTradeNo(), status, n.transactionId(), reason, fence, now);
    }
    return new Decision(SettlementOutcome.REVIEW, reason);
  }

  /** Why the notification is not addressed to us, or null when it is. */
  private String wrongParty(VerifiedNotification n) {
    return switch (n.provider()) {
      case SIM -> null;
      case WECHAT ->
          !properties.wechat().configured()
              ? "WeChat Pay is not configured on this node"
              : !Objects.equals(properties.wechat().mchId(), n.merchantId())
                      || !Objects.equals(properties.wechat().appId(), n.appId())
                  ? "notification for merchant " + n.merchantId() + " / app " + n.appId()
                  : null;
      case ALIPAY ->
          !properties.alipay().configured()
              ? "Alipay is not configured on this node"
              : !Objects.equals(properties.alipay().sellerId(), n.merchantId())
                      || !Objects.equals(properties.alipay().appId(), n.appId())
                  ? "notification for seller " + n.merchantId() + " / app " + n.appId()
                  : null;
    };
  }
}
