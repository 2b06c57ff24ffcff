package io.railrush.app.payment;

import com.wechat.pay.java.core.RSAPublicKeyConfig;
import com.wechat.pay.java.core.exception.ServiceException;
import com.wechat.pay.java.core.http.DefaultHttpClientBuilder;
import com.wechat.pay.java.core.util.GsonUtil;
import com.wechat.pay.java.service.payments.jsapi.JsapiService;
import com.wechat.pay.java.service.payments.jsapi.model.QueryOrderByOutTradeNoRequest;
import com.wechat.pay.java.service.payments.model.Transaction;
import com.wechat.pay.java.service.payments.model.TransactionAmount;
import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import okhttp3.ConnectionPool;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;

/**
 * WeChat Pay's order query by {@code out_trade_no} ({@code GET
 * /v3/pay/transactions/out-trade-no/{out_trade_no}?mchid=…}) through the official SDK: the request
 * signed SHA256withRSA with our merchant API key and serial; a successful answer's {@code
 * Wechatpay-Signature} checked by the SDK with the configured platform public key (an answer that
 * does not check out is an exception, never an answer). Error answers (4xx/5xx) are not signed and
 * carry no trade: {@code ORDER_NOT_EXIST} is "unknown trade" — at worst one of the payment's five
 * queries spent — and any other is an error to try again later.
 *
 * <p>The answer becomes a notification of its own ({@code query-<transaction_id>-<trade_state>}, so
 * asking twice and getting the same answer records it once) and is checked by settlement like any
 * notification: merchant, app, amount.
 */
final class WeChatPayTradeQuery implements TradeQuery {

  static final String DEFAULT_API_URL = "https://api.mch.weixin.qq.com";

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
    DefaultHttpClientBuilder http =
        new DefaultHttpClientBuilder().config(sdk).connectTimeoutMs(2_000).readTimeoutMs(3_000);
    if (!DEFAULT_API_URL.equals(config.apiUrl())) {
      http.okHttpClient(towards(config.apiUrl()));
    }
    this.service = new JsapiService.Builder().httpClient(http.build()).build();
  }

  /**
   * The SDK's services write {@code https://api.mch.weixin.qq.com} into every URL and offer only
   * WeChat Pay's own hosts instead, so another host (a test's, or a reverse proxy in front of
   * WeChat Pay) is reached by rewriting scheme, host and port before the request leaves; the
   * request is signed over path and query, which stay as they are. Idle connections are dropped
   * after 7 s, as the SDK's own client does, since WeChat Pay closes them after 8 s.
   */
  private static OkHttpClient towards(String apiUrl) {
    HttpUrl target = HttpUrl.get(apiUrl);
    if (!target.encodedPath().equals("/") || target.query() != null) {
      throw new IllegalArgumentException(
          "railrush.payment.wechat.api-url must be scheme://host[:port], without a path: "
              + apiUrl);
    }
    return new OkHttpClient.Builder()
        .connectionPool(new ConnectionPool(5, 7, TimeUnit.SECONDS))
        .addInterceptor(
            chain ->
                chain.proceed(
                    chain
                        .request()
                        .newBuilder()
                        .url(
                            chain
                                .request()
                                .url()
                                .newBuilder()
                                .scheme(target.scheme())
                                .host(target.host())
                                .port(target.port())
                                .build())
                        .build()))
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
    String transactionId =
        NotificationFields.blank(transaction.getTransactionId())
            ? null
            : transaction.getTransactionId();
    TransactionAmount amount = transaction.getAmount();
    if (amount == null || amount.getTotal() == null || amount.getTotal() < 0) {
      throw new IOException("WeChat Pay's order query answered without a usable amount.total");
    }
    if (state == TradeState.PAID && transactionId == null) {
      throw new IOException("WeChat Pay's order query answered SUCCESS without a transaction_id");
    }
    if (NotificationFields.tooLong(transactionId, 64)
        || NotificationFields.tooLong(transaction.getMchid(), 64)
        || NotificationFields.tooLong(transaction.getAppid(), 64)) {
      throw new IOException("WeChat Pay's order query answered an id that is too long");
    }
    return Optional.of(
        new VerifiedNotification(
            Provider.WECHAT,
            TradeQuery.answerId(transactionId, outTradeNo, transaction.getTradeState()),
            outTradeNo,
            transactionId,
            amount.getTotal(),
            state,
            transaction.getMchid(),
            transaction.getAppid(),
            GsonUtil.getGson().toJson(transaction)));
  }
}
