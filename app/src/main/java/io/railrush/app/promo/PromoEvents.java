package io.railrush.app.promo;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.railrush.app.infra.Roles;
import io.railrush.app.messaging.Message;
import io.railrush.app.messaging.MessageConsumer;
import java.time.Clock;
import java.util.Set;
import org.springframework.stereotype.Component;
import tools.jackson.databind.ObjectMapper;

/**
 * The promo consumer: a paid order uses its coupon and grants one lottery draw; a cancelled or
 * failed order gives its coupon back. Each message applies once (the inbox, in the same
 * transaction). A paid order whose coupon another order holds or used is an inconsistency a person
 * must look at: it fails, is retried, and ends as a dead letter.
 */
@Component
class PromoEvents implements MessageConsumer {

  /** The fields of the events this consumer reads (their producers' records have more). */
  @JsonIgnoreProperties(ignoreUnknown = true)
  record PaymentSucceeded(String orderNo, String userId, String couponId) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  record OrderEnded(String orderNo) {}

  private final PromoInbox inbox;
  private final CouponRepository coupons;
  private final LotteryDraws draws;
  private final ObjectMapper json;
  private final Clock clock;
  private final Counter firstTime;
  private final Counter seenBefore;

  PromoEvents(
      PromoInbox inbox,
      CouponRepository coupons,
      LotteryDraws draws,
      ObjectMapper json,
      Clock clock,
      MeterRegistry meters) {
    this.inbox = inbox;
    this.coupons = coupons;
    this.draws = draws;
    this.json = json;
    this.clock = clock;
    // the inbox's decision per delivery: the effects are idempotent by themselves too, so only
    // this shows that a redelivery was recognised rather than applied again
    this.firstTime = inboxDecisions(meters, "first");
    this.seenBefore = inboxDecisions(meters, "seen_before");
  }

  private static Counter inboxDecisions(MeterRegistry meters, String decision) {
    return Counter.builder("railrush.promo.inbox")
        .tag("decision", decision)
        .description("promo deliveries by the inbox's decision: applied now, or applied before")
        .register(meters);
  }

  @Override
  public int forgetAppliedBefore(long beforeMs, int limit) {
    return inbox.forgetBefore(beforeMs, limit);
  }

  @Override
  public String name() {
    return "promo";
  }

  @Override
  public Set<String> types() {
    return Set.of("PaymentSucceeded", "OrderCancelled", "OrderFailed");
  }

  @Override
  public Roles.Role role() {
    return Roles.Role.PROMO;
  }

  @Override
  public void handle(Message message) {
    long now = clock.millis();
    if (!inbox.firstTime(message.id(), message.type(), now)) {
      seenBefore.increment(); // applied before (counted even if this transaction rolls back)
      return;
    }
    firstTime.increment();
    switch (message.type()) {
      case "PaymentSucceeded" ->
          paid(json.readValue(message.payload(), PaymentSucceeded.class), now);
      case "OrderCancelled", "OrderFailed" ->
          coupons.releaseAllOf(json.readValue(message.payload(), OrderEnded.class).orderNo(), now);
      default -> throw new IllegalArgumentException("promo does not take " + message.type());
    }
  }

  private void paid(PaymentSucceeded paid, long now) {
    if (paid.orderNo() == null || paid.userId() == null) {
      throw new IllegalArgumentException("PaymentSucceeded without an order or a user");
    }
    if (paid.couponId() != null
        && !coupons.use(paid.couponId(), paid.userId(), paid.orderNo(), now)) {
      CouponRepository.Coupon coupon =
          coupons
              .find(paid.couponId())
              .orElseThrow(
                  () ->
                      new IllegalStateException(
                          "order "
                              + paid.orderNo()
                              + " was paid with unknown coupon "
                              + paid.couponId()));
      if (!(coupon.status() == CouponStatus.USED && paid.orderNo().equals(coupon.orderNo()))) {
        throw new IllegalStateException(
            "order "
                + paid.orderNo()
                + " was paid with coupon "
                + paid.couponId()
                + ", which is "
                + coupon.status()
                + " by order "
                + coupon.orderNo());
      }
    }
    draws.grant(paid.orderNo(), paid.userId(), now);
  }
}
