package io.railrush.app.payment;

import com.alipay.api.AlipayApiException;
import com.alipay.api.AlipayClient;
import com.alipay.api.AlipayConfig;
import com.alipay.api.DefaultAlipayClient;
import com.alipay.api.request.AlipayTradeQueryRequest;
import com.alipay.api.response.AlipayTradeQueryResponse;
import java.io.IOException;
import java.util.Base64;
import java.util.Optional;

/**
 * Alipay's {@code alipay.trade.query} through the official SDK: the request signed RSA2 with our
 * application's private key, the answer's {@code sign} checked by the SDK with Alipay's public key
 * (a failed check is an exception, never an answer). {@code ACQ.TRADE_NOT_EXIST} is "unknown
 * trade"; any other failure is an error to try again later.
 *
 * <p>The answer becomes a notification of its own ({@code query-<trade_no>-<status>}, so asking
 * twice and getting the same answer records it once); it names our own app and seller, since Alipay
 * answers only the app that asked.
 */
final class AlipayTradeQuery implements TradeQuery {

  private final AlipayClient client;
  private final PaymentProperties.Alipay config;

  AlipayTradeQuery(PaymentProperties.Alipay config) {
    this.config = config;
    AlipayConfig sdk = new AlipayConfig();
    sdk.setServerUrl(config.gatewayUrl());
    sdk.setAppId(config.appId());
    // the SDK takes keys as the base64 of their PKCS#8 / X.509 encodings, without PEM armour
    sdk.setPrivateKey(
        Base64.getEncoder()
            .encodeToString(
                NotificationFields.rsaPrivateKey(
                        config.appPrivateKey(), "railrush.payment.alipay.app-private-key")
                    .getEncoded()));
    sdk.setAlipayPublicKey(
        Base64.getEncoder()
            .encodeToString(
                NotificationFields.rsaPublicKey(
                        config.alipayPublicKey(), "railrush.payment.alipay.alipay-public-key")
                    .getEncoded()));
    sdk.setFormat("json");
    sdk.setCharset("UTF-8");
    sdk.setSignType(AlipayNotifications.SIGN_TYPE);
    sdk.setConnectTimeout(2_000);
    sdk.setReadTimeout(3_000);
    try {
      this.client = new DefaultAlipayClient(sdk);
    } catch (AlipayApiException e) {
      throw new IllegalArgumentException("railrush.payment.alipay cannot make a client", e);
    }
  }

  @Override
  public Optional<VerifiedNotification> ask(String outTradeNo) throws IOException {
    AlipayTradeQueryRequest request = new AlipayTradeQueryRequest();
    request.setBizContent("{\"out_trade_no\":\"" + outTradeNo + "\"}");
    AlipayTradeQueryResponse response;
    try {
      response = client.execute(request);
    } catch (AlipayApiException | RuntimeException failed) {
      // no answer, or one whose sign does not check out (an unsigned answer makes the SDK throw a
      // RuntimeException around its AlipayApiException)
      throw new IOException("alipay.trade.query of " + outTradeNo + " failed", failed);
    }
    if (!response.isSuccess()) {
      if ("ACQ.TRADE_NOT_EXIST".equals(response.getSubCode())) {
        return Optional.empty();
      }
      throw new IOException(
          "alipay.trade.query answered " + response.getCode() + " " + response.getSubCode());
    }
    if (!outTradeNo.equals(response.getOutTradeNo())) {
      throw new IOException("alipay.trade.query answered about " + response.getOutTradeNo());
    }
    TradeState state =
        switch (String.valueOf(response.getTradeStatus())) {
          case "TRADE_SUCCESS", "TRADE_FINISHED" -> TradeState.PAID;
          case "WAIT_BUYER_PAY" -> TradeState.WAITING;
          case "TRADE_CLOSED" -> TradeState.CLOSED;
          default -> throw new IOException("unknown trade_status " + response.getTradeStatus());
        };
    String tradeNo = response.getTradeNo();
    if (state == TradeState.PAID && NotificationFields.blank(tradeNo)) {
      throw new IOException("alipay.trade.query answered paid without a trade_no");
    }
    long cents;
    try {
      cents = AlipayNotifications.cents(response.getTotalAmount());
    } catch (NotificationRejected malformed) {
      throw new IOException(malformed.getMessage(), malformed);
    }
    return Optional.of(
        new VerifiedNotification(
            Provider.ALIPAY,
            TradeQuery.answerId(tradeNo, outTradeNo, response.getTradeStatus()),
            outTradeNo,
            tradeNo,
            cents,
            state,
            config.sellerId(),
            config.appId(),
            response.getBody()));
  }
}
