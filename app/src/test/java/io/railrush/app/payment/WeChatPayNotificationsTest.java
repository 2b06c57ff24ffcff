package io.railrush.app.payment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonParser;
import io.railrush.app.payment.NotificationRejected.Reason;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.core.io.ByteArrayResource;

class WeChatPayNotificationsTest {

  private static final Instant NOW = Instant.parse("2025-06-01T08:00:00Z");
  private static final Duration MAX_AGE = Duration.ofMinutes(5);
  private static final WeChatPaySimulator WECHAT = new WeChatPaySimulator();
  private static final WeChatPayNotifications VERIFIER =
      new WeChatPayNotifications(WECHAT.properties(), Clock.fixed(NOW, ZoneOffset.UTC), MAX_AGE);

  private static WeChatPaySimulator.Builder paid() {
    return WECHAT
        .notification()
        .notifyId("EV-2025060108000001")
        .outTradeNo("P20250601000000000001")
        .transactionId("4200002025060100000001")
        .amountCents(55300)
        .tradeState("SUCCESS")
        .at(NOW.minusSeconds(3));
  }

  private static VerifiedNotification verify(WeChatPaySimulator.Signed n) {
    return VERIFIER.verify(n::header, n.body());
  }

  private static void assertRejectedAs(WeChatPaySimulator.Signed n, Reason reason) {
    assertThatThrownBy(() -> verify(n))
        .isInstanceOfSatisfying(
            NotificationRejected.class, e -> assertThat(e.reason()).isEqualTo(reason));
  }

  @Test
  void aGoodNotificationIsReadIntoItsFields() {
    WeChatPaySimulator.Builder builder = paid();
    WeChatPaySimulator.Signed n = builder.build();

    VerifiedNotification v = verify(n);

    assertThat(v.provider()).isEqualTo(Provider.WECHAT);
    assertThat(v.notifyId()).isEqualTo("EV-2025060108000001");
    assertThat(v.outTradeNo()).isEqualTo("P20250601000000000001");
    assertThat(v.transactionId()).isEqualTo("4200002025060100000001");
    assertThat(v.amountCents()).isEqualTo(55300);
    assertThat(v.state()).isEqualTo(TradeState.PAID);
    assertThat(v.merchantId()).isEqualTo(WeChatPaySimulator.DEFAULT_MCH_ID);
    assertThat(v.appId()).isEqualTo(WeChatPaySimulator.DEFAULT_APP_ID);
    // the payload is the decrypted resource, not the encrypted envelope
    assertThat(JsonParser.parseString(v.payload()))
        .isEqualTo(JsonParser.parseString(builder.transactionJson()));
  }

  @ParameterizedTest
  @CsvSource({
    "SUCCESS, PAID",
    "NOTPAY, WAITING",
    "USERPAYING, WAITING",
    "PAYERROR, FAILED",
    "CLOSED, CLOSED",
    "REVOKED, CLOSED",
    "REFUND, CLOSED"
  })
  void tradeStatesMap(String tradeState, TradeState expected) {
    VerifiedNotification v = verify(paid().tradeState(tradeState).amountCents(100).build());

    assertThat(v.state()).isEqualTo(expected);
    assertThat(v.amountCents()).isEqualTo(100);
  }

  @Test
  void anUnpaidTradeNeedsNoTransactionId() {
    VerifiedNotification v = verify(paid().tradeState("NOTPAY").transactionId(null).build());

    assertThat(v.state()).isEqualTo(TradeState.WAITING);
    assertThat(v.transactionId()).isNull();
  }

  @Test
  void theSignatureTypeDefaultsToRsa() {
    assertThat(verify(paid().signatureType(null).build()).state()).isEqualTo(TradeState.PAID);
  }

  @Test
  void theTimestampMayBeUpToTheMaxAgeEitherWay() {
    assertThat(verify(paid().at(NOW.minus(MAX_AGE)).build()).notifyId()).isNotNull();
    assertThat(verify(paid().at(NOW.plus(MAX_AGE)).build()).notifyId()).isNotNull();
  }

  @Test
  void aTamperedBodyIsRefused() {
    WeChatPaySimulator.Signed n = paid().build();

    assertRejectedAs(
        n.withBody(n.body().replace("EV-2025060108000001", "EV-2025060108000002")),
        Reason.BAD_SIGNATURE);
    assertRejectedAs(n.withBody(n.body() + " "), Reason.BAD_SIGNATURE);
  }

  @Test
  void anotherSerialIsRefused() {
    assertRejectedAs(paid().serial(WeChatPaySimulator.newSerial()).build(), Reason.BAD_SIGNATURE);
  }

  @Test
  void anotherSigningKeyIsRefused() {
    assertRejectedAs(paid().signWithForeignKey().build(), Reason.BAD_SIGNATURE);
  }

  @Test
  void aResourceEncryptedWithAnotherApiV3KeyIsRefused() {
    assertRejectedAs(
        paid().encryptWith(WeChatPaySimulator.newApiV3Key()).build(), Reason.BAD_SIGNATURE);
  }

  @Test
  void anotherSignatureTypeIsRefused() {
    assertRejectedAs(paid().signatureType("WECHATPAY2-SM2-WITH-SM3").build(), Reason.BAD_SIGNATURE);
  }

  @Test
  void aStaleTimestampIsRefused() {
    assertRejectedAs(paid().at(NOW.minus(MAX_AGE).minusSeconds(1)).build(), Reason.BAD_SIGNATURE);
  }

  @Test
  void aTimestampFromTheFutureIsRefused() {
    assertRejectedAs(paid().at(NOW.plus(MAX_AGE).plusSeconds(1)).build(), Reason.BAD_SIGNATURE);
  }

  @Test
  void aTimestampThatIsNotANumberIsMalformed() {
    assertRejectedAs(
        paid().build().withHeader("Wechatpay-Timestamp", "2025-06-01T08:00:00Z"), Reason.MALFORMED);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "Wechatpay-Serial",
        "Wechatpay-Signature",
        "Wechatpay-Timestamp",
        "Wechatpay-Nonce"
      })
  void aMissingHeaderIsMalformed(String header) {
    WeChatPaySimulator.Signed n = paid().build();

    assertRejectedAs(n.withoutHeader(header), Reason.MALFORMED);
    assertRejectedAs(n.withHeader(header, " "), Reason.MALFORMED);
  }

  @Test
  void aSignatureThatIsNotBase64IsMalformed() {
    assertRejectedAs(
        paid().build().withHeader("Wechatpay-Signature", "not base64!"), Reason.MALFORMED);
  }

  @Test
  void aResourceWithoutAssociatedDataIsRefusedNotAnNpe() {
    WeChatPaySimulator.Signed n = paid().withoutAssociatedData().build();

    assertThatThrownBy(() -> verify(n))
        .isInstanceOfSatisfying(
            NotificationRejected.class, e -> assertThat(e.reason()).isEqualTo(Reason.MALFORMED))
        .hasMessageContaining("associated_data");
  }

  @Test
  void associatedDataThatIsNotWhatWasEncryptedIsRefused() {
    WeChatPaySimulator.Signed n = paid().associatedData("transaction").build();
    String altered =
        n.body().replace("\"associated_data\":\"transaction\"", "\"associated_data\":\"x\"");
    WeChatPaySimulator.Signed resigned = paid().body(altered).build();

    assertThat(altered).isNotEqualTo(n.body());
    assertRejectedAs(resigned, Reason.BAD_SIGNATURE);
  }

  @ParameterizedTest
  @ValueSource(strings = {"{not json", "[]", "\"text\"", "42", "null", "{}", "{\"resource\":7}"})
  void aSignedBodyThatIsNotANotificationIsMalformed(String body) {
    assertRejectedAs(paid().body(body).build(), Reason.MALFORMED);
  }

  @Test
  void anEmptyBodyIsMalformed() {
    assertRejectedAs(paid().build().withBody(""), Reason.MALFORMED);
  }

  @Test
  void malformedJsonThatIsNotSignedIsABadSignature() {
    assertRejectedAs(paid().build().withBody("{not json"), Reason.BAD_SIGNATURE);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "not json",
        "[1,2]",
        "{}",
        "{\"out_trade_no\":\"P1\",\"trade_state\":\"SUCCESS\",\"transaction_id\":\"42\"}",
        "{\"out_trade_no\":\"P1\",\"trade_state\":\"PAID\",\"transaction_id\":\"42\","
            + "\"amount\":{\"total\":1}}",
        "{\"out_trade_no\":\"P1\",\"trade_state\":\"SUCCESS\",\"transaction_id\":\"42\","
            + "\"amount\":{\"total\":\"one\"}}",
        "{\"out_trade_no\":\"P1\",\"trade_state\":\"SUCCESS\",\"transaction_id\":\"42\","
            + "\"amount\":{\"total\":-1}}",
        "{\"out_trade_no\":\"P1\",\"trade_state\":\"SUCCESS\",\"transaction_id\":\"42\","
            + "\"amount\":{\"total\":99999999999}}",
        "{\"out_trade_no\":\"P1\",\"trade_state\":\"SUCCESS\",\"transaction_id\":\"42\","
            + "\"amount\":{\"total\":1.5}}",
        "{\"out_trade_no\":\"P1\",\"trade_state\":\"SUCCESS\",\"transaction_id\":\"42\","
            + "\"amount\":{\"total\":\"100\"}}",
        "{\"out_trade_no\":\"P1\",\"trade_state\":\"SUCCESS\",\"amount\":{\"total\":1}}",
        "{\"out_trade_no\":{\"a\":1},\"trade_state\":\"SUCCESS\",\"amount\":{\"total\":1}}"
      })
  void aResourceThatIsNotATransactionIsMalformed(String plaintext) {
    assertRejectedAs(paid().resourcePlaintext(plaintext).build(), Reason.MALFORMED);
  }

  @Test
  void aMissingNotificationIdIsMalformed() {
    assertRejectedAs(paid().notifyId(null).build(), Reason.MALFORMED);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"id\":\"EV-1\",\"resource\":{\"algorithm\":\"AEAD_AES_256_GCM\",\"ciphertext\":\"!!\","
            + "\"associated_data\":\"transaction\",\"nonce\":\"abcdefghijkl\"}}",
        "{\"id\":\"EV-1\",\"resource\":{\"algorithm\":\"AEAD_AES_256_GCM\",\"ciphertext\":\"AAAA\","
            + "\"associated_data\":\"transaction\",\"nonce\":\"\"}}",
        "{\"id\":\"EV-1\",\"resource\":{\"algorithm\":\"AEAD_AES_256_GCM\",\"ciphertext\":\"AAAA\","
            + "\"associated_data\":\"transaction\"}}",
        "{\"id\":\"EV-1\",\"resource\":{\"algorithm\":\"RSA\",\"ciphertext\":\"AAAA\","
            + "\"associated_data\":\"transaction\",\"nonce\":\"abcdefghijkl\"}}",
        "{\"id\":\"EV-1\",\"resource\":{\"ciphertext\":\"AAAA\",\"nonce\":\"abcdefghijkl\"}}",
        "{\"id\":\"EV-1\",\"resource\":{\"algorithm\":[],\"ciphertext\":\"AAAA\"}}"
      })
  void anUnreadableResourceIsMalformedNotAnSdkException(String body) {
    // bad base64, an empty GCM nonce, no nonce, an unknown or missing algorithm, a wrong JSON type
    assertRejectedAs(paid().body(body).build(), Reason.MALFORMED);
  }

  @Test
  void aMisconfiguredVerifierFailsAtStartup() {
    PaymentProperties.WeChat good = WECHAT.properties();
    Clock clock = Clock.systemUTC();

    assertThatThrownBy(
            () ->
                new WeChatPayNotifications(
                    new PaymentProperties.WeChat(
                        good.mchId(),
                        good.appId(),
                        "too short",
                        good.platformSerial(),
                        good.platformPublicKey(),
                        null,
                        null,
                        good.apiUrl()),
                    clock,
                    MAX_AGE))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                new WeChatPayNotifications(
                    new PaymentProperties.WeChat(
                        good.mchId(),
                        good.appId(),
                        good.apiV3Key(),
                        good.platformSerial(),
                        new ByteArrayResource("not a key".getBytes()),
                        null,
                        null,
                        good.apiUrl()),
                    clock,
                    MAX_AGE))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                new WeChatPayNotifications(
                    new PaymentProperties.WeChat(null, null, null, null, null, null, null, null),
                    clock,
                    MAX_AGE))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
