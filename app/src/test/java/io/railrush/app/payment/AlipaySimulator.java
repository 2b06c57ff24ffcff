package io.railrush.app.payment;

import com.alipay.api.AlipayApiException;
import com.alipay.api.internal.util.AlipaySignature;
import java.math.BigDecimal;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import org.springframework.core.io.FileSystemResource;

/**
 * Acts as Alipay in tests: owns a freshly generated RSA key pair (nothing here is a real key) and
 * sends asynchronous trade notifications, form parameters signed RSA2 the way Alipay signs them
 * (the SDK's {@code getSignCheckContentV1} and {@code rsaSign}). Every part can be tampered with
 * through {@link #notification()}.
 *
 * <pre>{@code
 * AlipaySimulator alipay = new AlipaySimulator();
 * PaymentProperties.Alipay config = alipay.properties();
 * AlipaySimulator.Signed n = alipay.notification().outTradeNo("P1").totalAmount("553.00").build();
 * verifier.verify(n.params());        // or POST n.formBody() as application/x-www-form-urlencoded
 * }</pre>
 */
public final class AlipaySimulator {

  public static final String DEFAULT_APP_ID = "2021000000000001";
  public static final String DEFAULT_SELLER_ID = "2088000000000001";

  /** The real gateway's address: the configuration's default, never called by these tests. */
  public static final String GATEWAY = "https://openapi.alipay.com/gateway.do";

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final DateTimeFormatter ALIPAY_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.of("Asia/Shanghai"));

  private final KeyPair keys;
  private final String appId;
  private final String sellerId;

  /** A new key pair; the default app and seller ids. */
  public AlipaySimulator() {
    this(DEFAULT_APP_ID, DEFAULT_SELLER_ID);
  }

  public AlipaySimulator(String appId, String sellerId) {
    this(WeChatPaySimulator.generateKeyPair(), appId, sellerId);
  }

  public AlipaySimulator(KeyPair keys, String appId, String sellerId) {
    this.keys = Objects.requireNonNull(keys);
    this.appId = appId;
    this.sellerId = sellerId;
  }

  public String appId() {
    return appId;
  }

  public String sellerId() {
    return sellerId;
  }

  public PublicKey publicKey() {
    return keys.getPublic();
  }

  public PrivateKey privateKey() {
    return keys.getPrivate();
  }

  /** Our side's configuration for this simulator, its public key in a temporary PEM file. */
  public PaymentProperties.Alipay properties() {
    return new PaymentProperties.Alipay(
        appId,
        sellerId,
        new FileSystemResource(KeyPem.temporaryFile(publicKey(), "alipay-public-")),
        null,
        GATEWAY);
  }

  /** A notification of a trade, correctly signed. */
  public Signed notification(
      String outTradeNo,
      String tradeNo,
      long amountCents,
      String tradeStatus,
      String sellerId,
      String appId,
      Instant at) {
    return notification()
        .outTradeNo(outTradeNo)
        .tradeNo(tradeNo)
        .amountCents(amountCents)
        .tradeStatus(tradeStatus)
        .sellerId(sellerId)
        .appId(appId)
        .at(at)
        .build();
  }

  /** A notification to describe (and tamper with); correct unless told otherwise. */
  public Builder notification() {
    return new Builder();
  }

  /**
   * Signs {@code params} as Alipay does: RSA2 over the parameters but {@code sign} and {@code
   * sign_type}, sorted, empty values left out.
   */
  public static String sign(Map<String, String> params, PrivateKey key) {
    // getSignCheckContentV1 removes sign and sign_type: give it a copy
    String content = AlipaySignature.getSignCheckContentV1(new HashMap<>(params));
    try {
      return AlipaySignature.rsaSign(
          content,
          Base64.getEncoder().encodeToString(key.getEncoded()),
          StandardCharsets.UTF_8.name(),
          "RSA2");
    } catch (AlipayApiException e) {
      throw new IllegalStateException(e);
    }
  }

  /** {@code application/x-www-form-urlencoded} of {@code params}, in their order. */
  public static String formBody(Map<String, String> params) {
    return params.entrySet().stream()
        .map(
            e ->
                URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)
                    + "="
                    + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
  }

  /** One notification under construction. Defaults: a paid trade of 553.00 yuan, sent now. */
  public final class Builder {
    private String notifyId = randomHex(16);
    private String outTradeNo = "P" + randomDigits(20);
    private String tradeNo = "2025" + randomDigits(24);
    private String totalAmount = "553.00";
    private String tradeStatus = "TRADE_SUCCESS";
    private String appId = AlipaySimulator.this.appId;
    private String sellerId = AlipaySimulator.this.sellerId;
    private Instant at = Instant.now();
    private PrivateKey signingKey = keys.getPrivate();
    private final Map<String, String> overrides = new LinkedHashMap<>();

    private Builder() {}

    public Builder notifyId(String notifyId) {
      this.notifyId = notifyId;
      return this;
    }

    public Builder outTradeNo(String outTradeNo) {
      this.outTradeNo = outTradeNo;
      return this;
    }

    /** Alipay's trade number; null leaves {@code trade_no} out */
    public Builder tradeNo(String tradeNo) {
      this.tradeNo = tradeNo;
      return this;
    }

    /** {@code total_amount} exactly as given, e.g. "553.00" or something malformed */
    public Builder totalAmount(String totalAmount) {
      this.totalAmount = totalAmount;
      return this;
    }

    /** {@code total_amount} from cents, as Alipay writes it ("553.00") */
    public Builder amountCents(long amountCents) {
      return totalAmount(BigDecimal.valueOf(amountCents, 2).toPlainString());
    }

    /** TRADE_SUCCESS, TRADE_FINISHED, WAIT_BUYER_PAY, TRADE_CLOSED, ... */
    public Builder tradeStatus(String tradeStatus) {
      this.tradeStatus = tradeStatus;
      return this;
    }

    public Builder appId(String appId) {
      this.appId = appId;
      return this;
    }

    public Builder sellerId(String sellerId) {
      this.sellerId = sellerId;
      return this;
    }

    /** {@code notify_time} (and the trade's times) */
    public Builder at(Instant at) {
      this.at = at;
      return this;
    }

    /** Sets (or, with null, leaves out) any parameter before signing. */
    public Builder param(String name, String value) {
      overrides.put(name, value);
      return this;
    }

    /** Signs with another key. */
    public Builder signWith(PrivateKey signingKey) {
      this.signingKey = signingKey;
      return this;
    }

    /** Signs with a freshly generated key nobody knows. */
    public Builder signWithForeignKey() {
      return signWith(WeChatPaySimulator.generateKeyPair().getPrivate());
    }

    public Signed build() {
      String time = ALIPAY_TIME.format(at);
      Map<String, String> p = new LinkedHashMap<>();
      p.put("gmt_create", time);
      p.put("charset", "utf-8");
      p.put("seller_email", "railrush@example.com");
      p.put("subject", "Railrush 火车票");
      p.put("buyer_id", "2088102122524333");
      p.put("invoice_amount", totalAmount);
      p.put("notify_id", notifyId);
      p.put(
          "fund_bill_list",
          "[{\"amount\":\"" + totalAmount + "\",\"fundChannel\":\"ALIPAYACCOUNT\"}]");
      p.put("notify_type", "trade_status_sync");
      p.put("trade_status", tradeStatus);
      p.put("receipt_amount", totalAmount);
      p.put("app_id", appId);
      p.put("buyer_pay_amount", totalAmount);
      p.put("seller_id", sellerId);
      p.put("gmt_payment", time);
      p.put("notify_time", time);
      p.put("version", "1.0");
      p.put("out_trade_no", outTradeNo);
      p.put("total_amount", totalAmount);
      p.put("trade_no", tradeNo);
      p.put("auth_app_id", appId);
      p.put("point_amount", "0.00");
      p.putAll(overrides);
      p.values().removeIf(Objects::isNull);
      p.put("sign_type", "RSA2");
      p.put("sign", sign(p, signingKey));
      if (overrides.containsKey("sign_type") || overrides.containsKey("sign")) {
        p.putAll(overrides); // a sign or sign_type given on purpose replaces the real one
        p.values().removeIf(Objects::isNull);
      }
      return new Signed(p);
    }
  }

  /**
   * A notification as sent: its form parameters, in the order sent.
   *
   * @param params by name (unmodifiable; copy it to change it)
   */
  public record Signed(Map<String, String> params) {
    public Signed {
      params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
    }

    /** A mutable copy of the parameters. */
    public Map<String, String> mutableParams() {
      return new LinkedHashMap<>(params);
    }

    /** The parameters as an {@code application/x-www-form-urlencoded} body. */
    public String formBody() {
      return AlipaySimulator.formBody(params);
    }

    /** The same signature with one parameter changed (null: left out): tampering in transit. */
    public Signed with(String name, String value) {
      Map<String, String> copy = new LinkedHashMap<>(params);
      if (value == null) {
        copy.remove(name);
      } else {
        copy.put(name, value);
      }
      return new Signed(copy);
    }

    public Signed without(String name) {
      return with(name, null);
    }
  }

  private static String randomDigits(int n) {
    StringBuilder s = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      s.append((char) ('0' + RANDOM.nextInt(10)));
    }
    return s.toString();
  }

  private static String randomHex(int bytes) {
    byte[] b = new byte[bytes];
    RANDOM.nextBytes(b);
    return java.util.HexFormat.of().formatHex(b);
  }
}
