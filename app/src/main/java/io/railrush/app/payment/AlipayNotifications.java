package io.railrush.app.payment;

import static io.railrush.app.payment.NotificationFields.abbreviate;
import static io.railrush.app.payment.NotificationFields.blank;
import static io.railrush.app.payment.NotificationFields.tooLong;
import static io.railrush.app.payment.NotificationRejected.badSignature;
import static io.railrush.app.payment.NotificationRejected.malformed;

import com.alipay.api.internal.util.AlipaySignature;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Alipay asynchronous notifications: a form whose {@code sign} is RSA2 (SHA256withRSA) over the
 * other parameters but {@code sign} and {@code sign_type}, sorted by name, {@code k=v} joined with
 * {@code &}, empty values left out (the SDK's {@code getSignCheckContentV1}). Verified with the
 * official SDK's {@link AlipaySignature#rsaCheckV1(Map, String, String, String)}, on a copy: the
 * SDK removes {@code sign} and {@code sign_type} from the map it is given.
 *
 * <p>Order of checks: the required fields are present ({@code MALFORMED}); the signature checks out
 * ({@code BAD_SIGNATURE}; the SDK answers false for a wrong signature and throws for an unreadable
 * one, both count); then the values are read ({@code MALFORMED}). Alipay notifications carry no
 * replay window of their own; a retry repeats {@code notify_id}.
 */
final class AlipayNotifications {

  static final String SIGN_TYPE = "RSA2";
  static final List<String> REQUIRED =
      List.of("sign", "out_trade_no", "trade_status", "total_amount", "notify_id");

  /** yuan with at most two decimals ("553", "553.5", "553.00"); no sign, no exponent */
  private static final Pattern YUAN = Pattern.compile("[0-9]{1,15}(\\.[0-9]{1,2})?");

  private final String alipayPublicKey;

  AlipayNotifications(PaymentProperties.Alipay config) {
    Objects.requireNonNull(config, "config");
    if (!config.configured()) {
      throw new IllegalArgumentException(
          "railrush.payment.alipay needs app-id, seller-id and alipay-public-key");
    }
    // the SDK takes the key as the base64 of its X.509 encoding, without PEM armour
    this.alipayPublicKey =
        Base64.getEncoder()
            .encodeToString(
                NotificationFields.rsaPublicKey(
                        config.alipayPublicKey(), "railrush.payment.alipay.alipay-public-key")
                    .getEncoded());
  }

  /**
   * @param params the form parameters as received (URL-decoded); not modified
   * @throws NotificationRejected when the notification is not from Alipay or unreadable
   */
  VerifiedNotification verify(Map<String, String> params) {
    if (params == null) {
      throw malformed("no parameters");
    }
    for (String name : REQUIRED) {
      if (blank(params.get(name))) {
        throw malformed(name + " is missing");
      }
    }
    String signType = params.get("sign_type");
    if (signType != null && !signType.isEmpty() && !SIGN_TYPE.equals(signType)) {
      throw badSignature("sign_type " + abbreviate(signType) + " is not " + SIGN_TYPE);
    }
    boolean verified;
    try {
      // a copy: the SDK removes sign and sign_type from the map it is given
      verified =
          AlipaySignature.rsaCheckV1(
              new HashMap<>(params), alipayPublicKey, StandardCharsets.UTF_8.name(), SIGN_TYPE);
    } catch (Exception unreadable) { // AlipayApiException or anything the SDK lets through
      throw badSignature("the sign cannot be checked", unreadable);
    }
    if (!verified) {
      throw badSignature("the sign does not check out");
    }

    String notifyId = params.get("notify_id");
    String outTradeNo = params.get("out_trade_no");
    String tradeNo = params.get("trade_no");
    String sellerId = params.get("seller_id");
    String appId = params.get("app_id");
    TradeState state =
        switch (params.get("trade_status")) {
          case "TRADE_SUCCESS", "TRADE_FINISHED" -> TradeState.PAID;
          case "WAIT_BUYER_PAY" -> TradeState.WAITING;
          case "TRADE_CLOSED" -> TradeState.CLOSED;
          default ->
              throw malformed(
                  "trade_status "
                      + abbreviate(params.get("trade_status"))
                      + " is not TRADE_SUCCESS, TRADE_FINISHED, WAIT_BUYER_PAY or TRADE_CLOSED");
        };
    if (state == TradeState.PAID && blank(tradeNo)) {
      throw malformed("trade_no is required with " + params.get("trade_status"));
    }
    if (tooLong(notifyId, 128)
        || tooLong(outTradeNo, 64)
        || tooLong(tradeNo, 64)
        || tooLong(sellerId, 64)
        || tooLong(appId, 64)) {
      throw malformed("an id is too long");
    }
    return new VerifiedNotification(
        Provider.ALIPAY,
        notifyId,
        outTradeNo,
        blank(tradeNo) ? null : tradeNo,
        cents(params.get("total_amount")),
        state,
        blank(sellerId) ? null : sellerId,
        blank(appId) ? null : appId,
        sorted(params));
  }

  /** "553.00" → 55300, exactly; more than two decimals, a sign or an exponent is refused */
  static long cents(String yuan) {
    if (yuan == null || !YUAN.matcher(yuan).matches()) {
      throw malformed(
          "total_amount "
              + abbreviate(String.valueOf(yuan))
              + " is not yuan with at most two decimals");
    }
    return new BigDecimal(yuan).movePointRight(2).longValueExact();
  }

  private static String sorted(Map<String, String> params) {
    return params.entrySet().stream()
        .filter(e -> e.getKey() != null)
        .collect(
            Collectors.toMap(
                Map.Entry::getKey,
                e -> Objects.toString(e.getValue(), ""),
                (a, b) -> a,
                TreeMap::new))
        .entrySet()
        .stream()
        .map(e -> e.getKey() + "=" + e.getValue())
        .collect(Collectors.joining("&"));
  }
}
