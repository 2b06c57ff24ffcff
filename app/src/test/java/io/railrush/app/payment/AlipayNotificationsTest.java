package io.railrush.app.payment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.railrush.app.payment.NotificationRejected.Reason;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.core.io.ByteArrayResource;

class AlipayNotificationsTest {

  private static final Instant NOW = Instant.parse("2025-06-01T08:00:00Z");
  private static final AlipaySimulator ALIPAY = new AlipaySimulator();
  private static final AlipayNotifications VERIFIER = new AlipayNotifications(ALIPAY.properties());

  private static AlipaySimulator.Builder paid() {
    return ALIPAY
        .notification()
        .notifyId("2025060100222080000012345678")
        .outTradeNo("P20250601000000000001")
        .tradeNo("2025060122001400000000000001")
        .totalAmount("553.00")
        .tradeStatus("TRADE_SUCCESS")
        .at(NOW);
  }

  private static void assertRejectedAs(Map<String, String> params, Reason reason) {
    assertThatThrownBy(() -> VERIFIER.verify(params))
        .isInstanceOfSatisfying(
            NotificationRejected.class, e -> assertThat(e.reason()).isEqualTo(reason));
  }

  @Test
  void aGoodNotificationIsReadIntoItsFields() {
    AlipaySimulator.Signed n = paid().build();

    VerifiedNotification v = VERIFIER.verify(n.params());

    assertThat(v.provider()).isEqualTo(Provider.ALIPAY);
    assertThat(v.notifyId()).isEqualTo("2025060100222080000012345678");
    assertThat(v.outTradeNo()).isEqualTo("P20250601000000000001");
    assertThat(v.transactionId()).isEqualTo("2025060122001400000000000001");
    assertThat(v.amountCents()).isEqualTo(55300);
    assertThat(v.state()).isEqualTo(TradeState.PAID);
    assertThat(v.merchantId()).isEqualTo(AlipaySimulator.DEFAULT_SELLER_ID);
    assertThat(v.appId()).isEqualTo(AlipaySimulator.DEFAULT_APP_ID);
    assertThat(v.payload())
        .isEqualTo(
            new TreeMap<>(n.params())
                .entrySet().stream()
                    .map(e -> e.getKey() + "=" + e.getValue())
                    .collect(Collectors.joining("&")))
        .startsWith("app_id=" + AlipaySimulator.DEFAULT_APP_ID + "&auth_app_id=")
        .contains("&sign=", "&sign_type=RSA2&", "&subject=Railrush 火车票&");
  }

  @ParameterizedTest
  @CsvSource({
    "TRADE_SUCCESS, PAID",
    "TRADE_FINISHED, PAID",
    "WAIT_BUYER_PAY, WAITING",
    "TRADE_CLOSED, CLOSED"
  })
  void tradeStatusesMap(String tradeStatus, TradeState expected) {
    assertThat(VERIFIER.verify(paid().tradeStatus(tradeStatus).build().params()).state())
        .isEqualTo(expected);
  }

  @Test
  void anUnknownTradeStatusIsMalformed() {
    assertRejectedAs(paid().tradeStatus("TRADE_PENDING").build().params(), Reason.MALFORMED);
  }

  @ParameterizedTest
  @CsvSource({"553.00, 55300", "553, 55300", "553.5, 55350", "0.01, 1", "1234567.89, 123456789"})
  void theAmountIsYuanReadExactly(String totalAmount, long cents) {
    assertThat(VERIFIER.verify(paid().totalAmount(totalAmount).build().params()).amountCents())
        .isEqualTo(cents);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "553.001",
        "553.000",
        "abc",
        "-1.00",
        "+553.00",
        "5.53E2",
        "553.",
        ".50",
        "1,000.00",
        " 553.00",
        "553.00 ",
        "NaN",
        "0x10",
        "１２３",
        "99999999999999999999.00"
      })
  void aBadAmountIsMalformed(String totalAmount) {
    assertRejectedAs(paid().totalAmount(totalAmount).build().params(), Reason.MALFORMED);
  }

  @ParameterizedTest
  @ValueSource(strings = {"sign", "out_trade_no", "trade_status", "total_amount", "notify_id"})
  void aMissingRequiredFieldIsMalformed(String name) {
    // signed without it: not a forgery, just incomplete
    assertRejectedAs(paid().param(name, null).build().params(), Reason.MALFORMED);
    assertRejectedAs(paid().param(name, "").build().params(), Reason.MALFORMED);
  }

  @Test
  void aMissingSignIsMalformed() {
    assertRejectedAs(paid().build().without("sign").params(), Reason.MALFORMED);
  }

  @ParameterizedTest
  @CsvSource({
    "total_amount, 0.01",
    "out_trade_no, P20250601000000000002",
    "trade_status, TRADE_CLOSED",
    "seller_id, 2088999999999999",
    "notify_id, another",
    "buyer_id, 2088000000000002"
  })
  void aTamperedFieldIsABadSignature(String name, String value) {
    assertRejectedAs(paid().build().with(name, value).params(), Reason.BAD_SIGNATURE);
  }

  @Test
  void anAddedOrRemovedFieldIsABadSignature() {
    assertRejectedAs(paid().build().with("extra", "1").params(), Reason.BAD_SIGNATURE);
    assertRejectedAs(paid().build().without("trade_no").params(), Reason.BAD_SIGNATURE);
  }

  @Test
  void anotherKeyIsABadSignature() {
    assertRejectedAs(paid().signWithForeignKey().build().params(), Reason.BAD_SIGNATURE);
  }

  @ParameterizedTest
  @ValueSource(strings = {"not base64 at all!", "AAAA", "=="})
  void anUnreadableSignIsABadSignature(String sign) {
    assertRejectedAs(paid().build().with("sign", sign).params(), Reason.BAD_SIGNATURE);
  }

  @Test
  void anotherSignTypeIsABadSignature() {
    assertRejectedAs(paid().build().with("sign_type", "RSA").params(), Reason.BAD_SIGNATURE);
  }

  @Test
  void theCallersMapIsNotChanged() {
    Map<String, String> params = new HashMap<>(paid().build().params());
    Map<String, String> before = Map.copyOf(params);

    VERIFIER.verify(params);

    assertThat(params).isEqualTo(before).containsKeys("sign", "sign_type");
  }

  @Test
  void anUnmodifiableMapIsFine() {
    assertThat(VERIFIER.verify(Map.copyOf(paid().build().params())).state())
        .isEqualTo(TradeState.PAID);
  }

  @Test
  void theFormBodyDecodesToTheSignedParameters() {
    AlipaySimulator.Signed n = paid().build();
    Map<String, String> decoded = new LinkedHashMap<>();
    for (String pair : n.formBody().split("&")) {
      int eq = pair.indexOf('=');
      decoded.put(
          URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
          URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
    }

    assertThat(decoded).isEqualTo(n.params());
    assertThat(VERIFIER.verify(decoded).amountCents()).isEqualTo(55300);
  }

  @Test
  void aMisconfiguredVerifierFailsAtStartup() {
    assertThatThrownBy(
            () ->
                new AlipayNotifications(
                    new PaymentProperties.Alipay(
                        "app",
                        "seller",
                        new ByteArrayResource("not a key".getBytes()),
                        null,
                        AlipaySimulator.GATEWAY)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                new AlipayNotifications(
                    new PaymentProperties.Alipay(null, null, null, null, AlipaySimulator.GATEWAY)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
