package io.railrush.app.payment;

import com.alipay.api.AlipayApiException;
import com.alipay.api.internal.util.AlipaySignature;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Acts as Alipay's open API gateway in tests, for {@code alipay.trade.query}: checks the request's
 * RSA2 signature with our application's public key (the key pair is generated here; our side gets
 * the private half as a PEM file) and answers the trades it was told about, signed with {@link
 * AlipaySimulator}'s private key the way Alipay signs answers (RSA2 over the exact JSON of the
 * {@code alipay_trade_query_response} member). It can sign with a foreign key or change the amount
 * after signing.
 */
final class AlipayGateway implements AutoCloseable {

  record Trade(String tradeNo, String status, String totalAmount) {}

  private static final Pattern OUT_TRADE_NO =
      Pattern.compile("\"out_trade_no\"\\s*:\\s*\"([^\"]+)\"");

  private final AlipaySimulator alipay;
  private final KeyPair app = WeChatPaySimulator.generateKeyPair();
  private final Map<String, Trade> trades = new ConcurrentHashMap<>();
  private final HttpServer server;
  private final AtomicInteger queries = new AtomicInteger();
  private volatile PrivateKey answerKey;
  private volatile String amountAfterSigning;
  private volatile boolean unsigned;

  AlipayGateway(AlipaySimulator alipay) {
    this.alipay = alipay;
    this.answerKey = alipay.privateKey();
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext("/gateway.do", this::answer);
    server.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/gateway.do";
  }

  /** Our application's private key as a PKCS#8 PEM file (for app-private-key). */
  Path appPrivateKeyPem() {
    return KeyPem.temporaryFile(app.getPrivate(), "alipay-app-private-");
  }

  /** Our side's configuration: the simulator's public key, this gateway, our private key. */
  PaymentProperties.Alipay properties() {
    PaymentProperties.Alipay notifications = alipay.properties();
    return new PaymentProperties.Alipay(
        notifications.appId(),
        notifications.sellerId(),
        notifications.alipayPublicKey(),
        new org.springframework.core.io.FileSystemResource(appPrivateKeyPem()),
        url());
  }

  void trade(String outTradeNo, Trade trade) {
    trades.put(outTradeNo, trade);
  }

  void signAnswersWithForeignKey() {
    answerKey = WeChatPaySimulator.generateKeyPair().getPrivate();
  }

  void leaveAnswersUnsigned() {
    unsigned = true;
  }

  void changeAmountAfterSigning(String amount) {
    amountAfterSigning = amount;
  }

  int queries() {
    return queries.get();
  }

  private void answer(HttpExchange exchange) throws IOException {
    queries.incrementAndGet();
    Map<String, String> params = new HashMap<>();
    parse(exchange.getRequestURI().getRawQuery(), params);
    parse(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8), params);
    String inner;
    boolean signedByApp;
    try {
      signedByApp =
          AlipaySignature.rsaCheckV2(
              new HashMap<>(params),
              Base64.getEncoder().encodeToString(app.getPublic().getEncoded()),
              "UTF-8",
              "RSA2");
    } catch (AlipayApiException e) {
      signedByApp = false;
    }
    Matcher outTradeNo = OUT_TRADE_NO.matcher(params.getOrDefault("biz_content", ""));
    if (!signedByApp || !"alipay.trade.query".equals(params.get("method"))) {
      inner =
          "{\"code\":\"40002\",\"msg\":\"Invalid Arguments\",\"sub_code\":\"isv.invalid-signature\"}";
    } else if (!outTradeNo.find() || !trades.containsKey(outTradeNo.group(1))) {
      inner =
          "{\"code\":\"40004\",\"msg\":\"Business Failed\",\"sub_code\":\"ACQ.TRADE_NOT_EXIST\","
              + "\"sub_msg\":\"交易不存在\"}";
    } else {
      Trade trade = trades.get(outTradeNo.group(1));
      inner =
          "{\"code\":\"10000\",\"msg\":\"Success\",\"trade_no\":\""
              + trade.tradeNo()
              + "\",\"out_trade_no\":\""
              + outTradeNo.group(1)
              + "\",\"trade_status\":\""
              + trade.status()
              + "\",\"total_amount\":\""
              + trade.totalAmount()
              + "\"}";
    }
    String sign;
    try {
      sign =
          AlipaySignature.rsaSign(
              inner, Base64.getEncoder().encodeToString(answerKey.getEncoded()), "UTF-8", "RSA2");
    } catch (AlipayApiException e) {
      throw new IOException(e);
    }
    if (amountAfterSigning != null) {
      inner =
          inner.replaceAll(
              "\"total_amount\":\"[^\"]*\"", "\"total_amount\":\"" + amountAfterSigning + "\"");
    }
    byte[] body =
        ("{\"alipay_trade_query_response\":"
                + inner
                + (unsigned ? "" : ",\"sign\":\"" + sign + "\"")
                + "}")
            .getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json;charset=utf-8");
    exchange.sendResponseHeaders(200, body.length);
    exchange.getResponseBody().write(body);
    exchange.close();
  }

  private static void parse(String encoded, Map<String, String> into) {
    if (encoded == null || encoded.isEmpty()) {
      return;
    }
    for (String pair : encoded.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        into.put(
            URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
