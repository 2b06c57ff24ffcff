package io.railrush.app.promo;

import io.railrush.app.order.OrderAudit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.stereotype.Service;

/**
 * The promo invariants, read from the databases (orders through the order module's audit API): each
 * paid order has exactly one draw and, if it named a coupon, that coupon USED by it; nothing is
 * USED or drawn without a paid order.
 */
@Service
class PromoAudit {

  record Report(
      long paidOrders,
      long couponsUsed,
      long drawsGranted,
      long couponsUsedWithoutPaidOrder,
      long paidOrdersWithoutTheirCouponUsed,
      long paidOrdersWithoutExactlyOneDraw,
      long drawsWithoutPaidOrder,
      boolean consistent) {}

  private final OrderAudit orders;
  private final CouponRepository coupons;
  private final LotteryDraws draws;

  PromoAudit(OrderAudit orders, CouponRepository coupons, LotteryDraws draws) {
    this.orders = orders;
    this.coupons = coupons;
    this.draws = draws;
  }

  Report report() {
    List<OrderAudit.PaidOrder> paid = orders.paidOrders();
    Set<String> paidOrderNos =
        paid.stream().map(OrderAudit.PaidOrder::orderNo).collect(Collectors.toSet());
    List<CouponRepository.Coupon> used = coupons.used();
    Map<String, String> usedCouponOrder = new HashMap<>();
    used.forEach(c -> usedCouponOrder.put(c.couponId(), c.orderNo()));
    Map<String, Long> drawsPerOrder = draws.perOrder();

    long usedWithoutPaid = used.stream().filter(c -> !paidOrderNos.contains(c.orderNo())).count();
    long paidWithoutCoupon =
        paid.stream()
            .filter(
                o -> o.couponId() != null && !o.orderNo().equals(usedCouponOrder.get(o.couponId())))
            .count();
    long paidWithoutOneDraw =
        paid.stream().filter(o -> drawsPerOrder.getOrDefault(o.orderNo(), 0L) != 1).count();
    long drawsWithoutPaid =
        drawsPerOrder.keySet().stream().filter(no -> !paidOrderNos.contains(no)).count();
    long drawsGranted = drawsPerOrder.values().stream().mapToLong(Long::longValue).sum();
    return new Report(
        paid.size(),
        used.size(),
        drawsGranted,
        usedWithoutPaid,
        paidWithoutCoupon,
        paidWithoutOneDraw,
        drawsWithoutPaid,
        usedWithoutPaid == 0
            && paidWithoutCoupon == 0
            && paidWithoutOneDraw == 0
            && drawsWithoutPaid == 0);
  }
}
