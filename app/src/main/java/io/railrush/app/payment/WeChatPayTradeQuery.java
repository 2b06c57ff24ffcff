package io.railrush.app.payment;

import com.wechat.pay.java.core.RSAPublicKeyConfig;
import com.wechat.pay.java.core.exception.ServiceException;
import com.wechat.pay.java.core.http.DefaultHttpClientBuilder;
import com.wechat.pay.java.core.http.HttpClient;
import com.wechat.pay.java.core.util.GsonUtil;
import com.wechat.pay.java.service.payments.jsapi.JsapiService;
import com.wechat.pay.java.service.payments.jsapi.model.QueryOrderByOutTradeNoRequest;
import com.wechat.pay.java.service.payments.model.Transaction;
import com.wechat.pay.java.service.payments.model.TransactionAmount;
import java.io.IOException;
import java.util.Optional;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;

/**
 * WeChat Pay's order query by {@code out_trade_no} ({@code GET
 * /v3/pay/transactions/out-trade-no/{out_trade_no}?mchid=…}) through the official SDK: the request
 * signed SHA256withRSA with our merchant API key and serial, the answer's {@code
 * Wechatpay-Signature} checked by the SDK with the platform public key whose id it names (an answer
 * that does not check out is an exception, never an answer). {@code ORDER_NOT_EXIST} is "unknown
 * trade"; any other failure is an error to try again later.
 *
 * <p>The answer becomes a notification of its own ({@code query-<transaction_id>-<trade_state>}, so
 * asking twice and getting the same answer records it once) and is checked by settlement like any
 * notification: merchant, app, amount.
 */
final class WeChatPayTradeQuery implements TradeQuery {

  private final JsapiService service;
  private final String mchId;

  WeChatPayTradeQuery(PaymentProperties.WeChat config) {
    this.mchId = config.mchId();
    RSAPublicKeyConfig sdk =
        new RSAPublicKeyConfig.Builder()
            .merchantId(config.mchId())
            .privateKey(
                NotificationFields.rsaPrivateKey(
                    config.merchantPrivateKey(), "railrush.payment.wechat.merchant-private-key"))
            .merchantSerialNumber(config.merchantSerial())
            .publicKey(
                NotificationFields.rsaPublicKey(
                    config.platformPublicKey(), "railrush.payment.wechat.platform-public-key"))
            .publicKeyId(config.platformSerial())
            .apiV3Key(config.apiV3Key())
            .build();
    HttpClient http =
        new DefaultHttpClientBuilder()
            .config(sdk)
            .okHttpClient(towards(config.apiUrl()))
            .connectTimeoutMs(2_000)
            .readTimeoutMs(3_000)
            .build();
    this.service = new JsapiService.Builder().httpClient(http).build();
  }

  /**
   * The SDK's services write {@code https://api.mch.weixin.qq.com} into every URL and offer only
   * WeChat Pay's own hosts instead, so another host (a test's gateway, an egress proxy) is reached
   * by rewriting the URL before it leaves. The request is signed over the path and query alone,
   * which stay as they are.
   */
  private static OkHttpClient towards(String apiUrl) {
    HttpUrl target = HttpUrl.get(apiUrl);
    return new OkHttpClient.Builder()
        .addInterceptor(
            chain -> {
              HttpUrl url = chain.request().url();
              return chain.proceed(
                  chain
                      .request()
                      .newBuilder()
                      .url(
                          url.newBuilder()
                              .scheme(target.scheme())
                              .host(target.host())
                              .port(target.port())
                              .build())
                      .build());
            })
        .build();
  }

  @Override
  public Optional<VerifiedNotification> ask(String outTradeNo) throws IOException {
    QueryOrderByOutTradeNoRequest request = new QueryOrderByOutTradeNoRequest();
    request.setMchid(mchId);
    request.setOutTradeNo(outTradeNo);
    Transaction transaction;
    try {
      transaction = service.queryOrderByOutTradeNo(request);
    } catch (ServiceException refused) {
      if ("ORDER_NOT_EXIST".equals(refused.getErrorCode())) {
        return Optional.empty();
      }
      throw new IOException(
          "WeChat Pay's order query of "
              + outTradeNo
              + " answered "
              + refused.getHttpStatusCode()
              + " "
              + refused.getErrorCode(),
          refused);
    } catch (RuntimeException failed) {
      // HttpException (no answer), ValidationException (the answer's signature does not check
      // out), MalformedMessageException (not JSON)
      throw new IOException("WeChat Pay's order query of " + outTradeNo + " failed", failed);
    }
    if (transaction == null || !outTradeNo.equals(transaction.getOutTradeNo())) {
      throw new IOException(
          "WeChat Pay's order query answered about "
              + (transaction == null ? null : transaction.getOutTradeNo()));
    }
    if (transaction.getTradeState() == null) {
      throw new IOException("WeChat Pay's order query answered without a known trade_state");
    }
    TradeState state = WeChatPayNotifications.stateOf(transaction.getTradeState());
    String transactionId = transaction.getTransactionId();
    TransactionAmount amount = transaction.getAmount();
    if (amount == null || amount.getTotal() == null) {
      if (state == TradeState.PAID) {
        throw new IOException("WeChat Pay's order query answered SUCCESS without amount.total");
      }
      return Optional.empty(); // nothing to settle, and nothing to compare with the payment
    }
    if (state == TradeState.PAID && NotificationFields.blank(transactionId)) {
      throw new IOException("WeChat Pay's order query answered SUCCESS without a transaction_id");
    }
    return Optional.of(
        new VerifiedNotification(
            Provider.WECHAT,
            "query-"
                + (NotificationFields.blank(transactionId) ? outTradeNo : transactionId)
                + "-"
                + transaction.getTradeState(),
            outTradeNo,
            NotificationFields.blank(transactionId) ? null : transactionId,
            amount.getTotal(),
            state,
            transaction.getMchid(),
            transaction.getAppid(),
            GsonUtil.getGson().toJson(transaction)));
  }
}
