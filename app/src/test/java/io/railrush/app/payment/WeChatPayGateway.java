package io.railrush.app.payment;

import com.google.gson.JsonObject;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.Signature;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.startup.Tomcat;
import org.springframework.core.io.FileSystemResource;
import org.springframework.util.FileSystemUtils;

/**
 * Acts as WeChat Pay's API host in tests, for the order query by {@code out_trade_no}: checks the
 * request's {@code Authorization} (SHA256withRSA over {@code
 * method\nurl\ntimestamp\nnonce\nbody\n}) with our merchant public key (the key pair is generated
 * here; our side gets the private half as a PEM file) and answers the trades it was told about,
 * signed with {@link WeChatPaySimulator}'s platform key the way WeChat Pay signs answers ({@code
 * Wechatpay-Signature} over {@code timestamp\nnonce\nbody\n}). It can sign with a foreign key,
 * leave the signature out, or change the amount after signing.
 */
final class WeChatPayGateway implements AutoCloseable {

  /**
   * @param transactionId null for a trade never paid
   * @param tradeState SUCCESS, NOTPAY, CLOSED, ...
   * @param totalCents {@code amount.total}
   */
  record Trade(String transactionId, String tradeState, long totalCents) {}

  private static final String PATH = "/v3/pay/transactions/out-trade-no/";
  private static final Pattern TOKEN =
      Pattern.compile(
          "WECHATPAY2-SHA256-RSA2048 mchid=\"([^\"]*)\",nonce_str=\"([^\"]*)\",timestamp=\"([^\"]*)\","
              + "serial_no=\"([^\"]*)\",signature=\"([^\"]*)\"");

  private final WeChatPaySimulator wechat;
  private final KeyPair merchant = WeChatPaySimulator.generateKeyPair();
  private final String merchantSerial = "5157F09EFDC096DE15EBE81A47057A72"; // the documented form
  private final Map<String, Trade> trades = new ConcurrentHashMap<>();
  private final Tomcat server = new Tomcat();
  private final AtomicInteger queries = new AtomicInteger();
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile PrivateKey answerKey;
  private volatile Long amountAfterSigning;
  private volatile boolean unsigned;
  private volatile String answerAbout;
  private volatile boolean withoutAmount;
  private volatile boolean badGateway;
  private Path baseDir;

  WeChatPayGateway(WeChatPaySimulator wechat) {
    this.wechat = wechat;
    this.answerKey = wechat.privateKey();
    try {
      baseDir = Files.createTempDirectory("wechatpay-gateway-");
      server.setBaseDir(baseDir.toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.setHostname("127.0.0.1");
    server.setPort(0);
    server.getConnector(); // made on first ask; started with the server
    Context context = server.addContext("", null);
    Tomcat.addServlet(
        context,
        "api",
        new HttpServlet() {
          @Override
          protected void service(HttpServletRequest request, HttpServletResponse response)
              throws IOException {
            answer(request, response);
          }
        });
    context.addServletMappingDecoded("/*", "api");
    try {
      server.start();
    } catch (LifecycleException e) {
      close();
      throw new IllegalStateException(e);
    }
  }

  String url() {
    return "http://127.0.0.1:" + server.getConnector().getLocalPort();
  }

  /** Our side's configuration: the simulator's platform key and APIv3 key, our merchant key. */
  PaymentProperties.WeChat properties() {
    PaymentProperties.WeChat notifications = wechat.properties();
    return new PaymentProperties.WeChat(
        notifications.mchId(),
        notifications.appId(),
        notifications.apiV3Key(),
        notifications.platformSerial(),
        notifications.platformPublicKey(),
        merchantSerial,
        new FileSystemResource(merchantPrivateKeyPem()),
        url());
  }

  Path merchantPrivateKeyPem() {
    return KeyPem.temporaryFile(merchant.getPrivate(), "wechatpay-merchant-");
  }

  String merchantSerial() {
    return merchantSerial;
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

  void changeAmountAfterSigning(long totalCents) {
    amountAfterSigning = totalCents;
  }

  /** Answers every query with this {@code out_trade_no} instead of the one asked about. */
  void answerAbout(String outTradeNo) {
    answerAbout = outTradeNo;
  }

  /** Leaves {@code amount} out of the answers. */
  void leaveAmountOut() {
    withoutAmount = true;
  }

  /** Answers as a proxy in the way would: 502 with an HTML page. */
  void failAsBadGateway() {
    badGateway = true;
  }

  int queries() {
    return queries.get();
  }

  private void answer(HttpServletRequest request, HttpServletResponse response) throws IOException {
    queries.incrementAndGet();
    if (badGateway) {
      response.setStatus(502);
      response.setContentType("text/html");
      response.getWriter().write("<html><body>502 Bad Gateway</body></html>");
      return;
    }
    String rawPath = request.getRequestURI();
    String rawQuery = request.getQueryString();
    Map<String, String> query = new HashMap<>();
    if (rawQuery != null) {
      for (String pair : rawQuery.split("&")) {
        int eq = pair.indexOf('=');
        if (eq > 0) {
          query.put(
              pair.substring(0, eq),
              URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
      }
    }
    String canonicalUrl = rawPath + (rawQuery == null ? "" : "?" + rawQuery);
    if (!signedByMerchant(request, canonicalUrl)) {
      reply(response, 401, error("SIGN_ERROR", "签名错误"));
      return;
    }
    if (!"GET".equals(request.getMethod()) || !rawPath.startsWith(PATH)) {
      reply(response, 404, error("NOT_FOUND", "no such API"));
      return;
    }
    if (!wechat.mchId().equals(query.get("mchid"))) {
      reply(response, 400, error("PARAM_ERROR", "mchid does not match the signer"));
      return;
    }
    String outTradeNo = URLDecoder.decode(rawPath.substring(PATH.length()), StandardCharsets.UTF_8);
    Trade trade = trades.get(outTradeNo);
    if (trade == null) {
      reply(response, 404, error("ORDER_NOT_EXIST", "订单不存在"));
      return;
    }
    reply(
        response,
        200,
        transaction(answerAbout == null ? outTradeNo : answerAbout, trade, trade.totalCents()));
  }

  private boolean signedByMerchant(HttpServletRequest request, String canonicalUrl) {
    String authorization = request.getHeader("Authorization");
    Matcher token = authorization == null ? null : TOKEN.matcher(authorization);
    if (token == null
        || !token.matches()
        || !wechat.mchId().equals(token.group(1))
        || !merchantSerial.equals(token.group(4))) {
      return false;
    }
    String message =
        request.getMethod()
            + "\n"
            + canonicalUrl
            + "\n"
            + token.group(3)
            + "\n"
            + token.group(2)
            + "\n"
            + "\n";
    try {
      Signature verifier = Signature.getInstance("SHA256withRSA");
      verifier.initVerify(merchant.getPublic());
      verifier.update(message.getBytes(StandardCharsets.UTF_8));
      return verifier.verify(Base64.getDecoder().decode(token.group(5)));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return false;
    }
  }

  private String transaction(String outTradeNo, Trade trade, long total) {
    JsonObject amount = new JsonObject();
    amount.addProperty("total", total);
    amount.addProperty("currency", "CNY");
    JsonObject t = new JsonObject();
    t.addProperty("appid", wechat.appId());
    t.addProperty("mchid", wechat.mchId());
    t.addProperty("out_trade_no", outTradeNo);
    if (trade.transactionId() != null) {
      t.addProperty("transaction_id", trade.transactionId());
    }
    t.addProperty("trade_type", "JSAPI");
    t.addProperty("trade_state", trade.tradeState());
    t.addProperty("trade_state_desc", trade.tradeState());
    if (!withoutAmount) {
      t.add("amount", amount);
    }
    return t.toString();
  }

  private static String error(String code, String message) {
    JsonObject error = new JsonObject();
    error.addProperty("code", code);
    error.addProperty("message", message);
    return error.toString();
  }

  private void reply(HttpServletResponse response, int status, String body) throws IOException {
    String timestamp = Long.toString(Instant.now().getEpochSecond());
    String nonce = WeChatPaySimulator.randomAlphanumeric(32);
    String signature =
        WeChatPaySimulator.sign(answerKey, timestamp + "\n" + nonce + "\n" + body + "\n");
    if (status == 200 && amountAfterSigning != null) {
      body = body.replaceFirst("\"total\":\\d+", "\"total\":" + amountAfterSigning);
    }
    response.setStatus(status);
    response.setContentType("application/json; charset=utf-8");
    response.setHeader("Request-ID", "08F78BB5AF0610D302A2A8F9E70E1C2A0");
    response.setHeader("Wechatpay-Timestamp", timestamp);
    response.setHeader("Wechatpay-Nonce", nonce);
    response.setHeader("Wechatpay-Serial", wechat.serial());
    if (!unsigned) {
      response.setHeader("Wechatpay-Signature", signature);
    }
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    response.setContentLength(bytes.length);
    response.getOutputStream().write(bytes);
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      server.stop();
      server.destroy();
    } catch (LifecycleException e) {
      throw new IllegalStateException(e);
    } finally {
      FileSystemUtils.deleteRecursively(baseDir.toFile());
    }
  }
}
