package io.railrush.app.payment;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.wechat.pay.java.core.cipher.AeadAesCipher;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Function;
import org.springframework.core.io.FileSystemResource;

/**
 * Acts as WeChat Pay (API v3) in tests: owns a freshly generated platform key pair, its serial and
 * an APIv3 key, and sends payment notifications signed (SHA256withRSA over {@code
 * timestamp\nnonce\nbody\n}) and encrypted (AEAD_AES_256_GCM) the way WeChat Pay does. Nothing here
 * is a real key. Every part can be tampered with through {@link #notification()}.
 *
 * <pre>{@code
 * WeChatPaySimulator wechat = new WeChatPaySimulator();
 * PaymentProperties.WeChat config = wechat.properties();
 * WeChatPaySimulator.Signed n =
 *     wechat.notification().outTradeNo("P1").amountCents(55300).at(now).build();
 * verifier.verify(n::header, n.body());
 * }</pre>
 */
public final class WeChatPaySimulator {

  public static final String DEFAULT_MCH_ID = "1900000109";
  public static final String DEFAULT_APP_ID = "wxd678efh567hg6787";
  public static final String SIGNATURE_TYPE = "WECHATPAY2-SHA256-RSA2048";

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().create();
  private static final DateTimeFormatter RFC3339 =
      DateTimeFormatter.ISO_OFFSET_DATE_TIME.withZone(ZoneOffset.ofHours(8));

  private final KeyPair platformKeys;
  private final String serial;
  private final String apiV3Key;
  private final String mchId;
  private final String appId;

  /** A new platform key pair, serial and APIv3 key; the default merchant and app ids. */
  public WeChatPaySimulator() {
    this(DEFAULT_MCH_ID, DEFAULT_APP_ID);
  }

  public WeChatPaySimulator(String mchId, String appId) {
    this(generateKeyPair(), newSerial(), newApiV3Key(), mchId, appId);
  }

  public WeChatPaySimulator(
      KeyPair platformKeys, String serial, String apiV3Key, String mchId, String appId) {
    this.platformKeys = Objects.requireNonNull(platformKeys);
    this.serial = Objects.requireNonNull(serial);
    this.apiV3Key = Objects.requireNonNull(apiV3Key);
    this.mchId = mchId;
    this.appId = appId;
  }

  /** A 2048-bit RSA key pair. */
  public static KeyPair generateKeyPair() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048, RANDOM);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A platform public key id in WeChat Pay's style, {@code PUB_KEY_ID_} and hex digits. */
  public static String newSerial() {
    byte[] bytes = new byte[16];
    RANDOM.nextBytes(bytes);
    return "PUB_KEY_ID_" + HexFormat.of().withUpperCase().formatHex(bytes);
  }

  /** A 32-character APIv3 key (ASCII letters and digits, as the merchant platform makes them). */
  public static String newApiV3Key() {
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    StringBuilder key = new StringBuilder(32);
    for (int i = 0; i < 32; i++) {
      key.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
    }
    return key.toString();
  }

  public String serial() {
    return serial;
  }

  public String apiV3Key() {
    return apiV3Key;
  }

  public String mchId() {
    return mchId;
  }

  public String appId() {
    return appId;
  }

  public PublicKey publicKey() {
    return platformKeys.getPublic();
  }

  public PrivateKey privateKey() {
    return platformKeys.getPrivate();
  }

  /** Our side's configuration for this simulator, its public key in a temporary PEM file. */
  public PaymentProperties.WeChat properties() {
    return new PaymentProperties.WeChat(
        mchId,
        appId,
        apiV3Key,
        serial,
        new FileSystemResource(KeyPem.temporaryFile(publicKey(), "wechatpay-platform-")),
        null,
        null,
        "https://api.mch.weixin.qq.com");
  }

  /** A notification of a trade, correctly signed and encrypted. */
  public Signed notification(
      String outTradeNo,
      String transactionId,
      long amountCents,
      String tradeState,
      String mchId,
      String appId,
      Instant timestamp) {
    return notification()
        .outTradeNo(outTradeNo)
        .transactionId(transactionId)
        .amountCents(amountCents)
        .tradeState(tradeState)
        .mchId(mchId)
        .appId(appId)
        .at(timestamp)
        .build();
  }

  /** A notification to describe (and tamper with); correct unless told otherwise. */
  public Builder notification() {
    return new Builder();
  }

  /** One notification under construction. Defaults: a paid trade of 553.00 yuan, sent now. */
  public final class Builder {
    private String notifyId = "EV-" + randomDigits(20);
    private String outTradeNo = "P" + randomDigits(20);
    private String transactionId = "42000" + randomDigits(23);
    private long amountCents = 55300;
    private String tradeState = "SUCCESS";
    private String mchId = WeChatPaySimulator.this.mchId;
    private String appId = WeChatPaySimulator.this.appId;
    private Instant timestamp = Instant.now();
    private String nonce = randomAlphanumeric(32);
    private String serial = WeChatPaySimulator.this.serial;
    private PrivateKey signingKey = platformKeys.getPrivate();
    private String signatureType = SIGNATURE_TYPE;
    private String encryptionKey = apiV3Key;
    private String associatedData = "transaction";
    private boolean withAssociatedData = true;
    private String resourceNonce = randomAlphanumeric(12);
    private String resourcePlaintext;
    private String body;

    private Builder() {}

    /** The notification's top-level {@code id}. */
    public Builder notifyId(String notifyId) {
      this.notifyId = notifyId;
      return this;
    }

    public Builder outTradeNo(String outTradeNo) {
      this.outTradeNo = outTradeNo;
      return this;
    }

    /** null leaves {@code transaction_id} out of the resource */
    public Builder transactionId(String transactionId) {
      this.transactionId = transactionId;
      return this;
    }

    /** {@code amount.total}, in fen */
    public Builder amountCents(long amountCents) {
      this.amountCents = amountCents;
      return this;
    }

    /** {@code trade_state}: SUCCESS, NOTPAY, USERPAYING, PAYERROR, CLOSED, REVOKED, REFUND, ... */
    public Builder tradeState(String tradeState) {
      this.tradeState = tradeState;
      return this;
    }

    public Builder mchId(String mchId) {
      this.mchId = mchId;
      return this;
    }

    public Builder appId(String appId) {
      this.appId = appId;
      return this;
    }

    /** {@code Wechatpay-Timestamp} (and the notification's {@code create_time}) */
    public Builder at(Instant timestamp) {
      this.timestamp = timestamp;
      return this;
    }

    /** {@code Wechatpay-Nonce} */
    public Builder nonce(String nonce) {
      this.nonce = nonce;
      return this;
    }

    /** {@code Wechatpay-Serial}, e.g. one the receiver does not know */
    public Builder serial(String serial) {
      this.serial = serial;
      return this;
    }

    /** Signs with another key (the serial stays the configured one). */
    public Builder signWith(PrivateKey signingKey) {
      this.signingKey = signingKey;
      return this;
    }

    /** Signs with a freshly generated key nobody knows. */
    public Builder signWithForeignKey() {
      return signWith(generateKeyPair().getPrivate());
    }

    /** {@code Wechatpay-Signature-Type}; null leaves the header out (the default applies). */
    public Builder signatureType(String signatureType) {
      this.signatureType = signatureType;
      return this;
    }

    /** Encrypts the resource with another APIv3 key. */
    public Builder encryptWith(String apiV3Key) {
      this.encryptionKey = apiV3Key;
      return this;
    }

    /** {@code resource.associated_data} (also the AAD of the encryption) */
    public Builder associatedData(String associatedData) {
      this.associatedData = associatedData;
      this.withAssociatedData = true;
      return this;
    }

    /** Leaves {@code resource.associated_data} out (and encrypts without AAD). */
    public Builder withoutAssociatedData() {
      this.withAssociatedData = false;
      return this;
    }

    /** {@code resource.nonce} (the GCM IV) */
    public Builder resourceNonce(String resourceNonce) {
      this.resourceNonce = resourceNonce;
      return this;
    }

    /** Encrypts this instead of the transaction built from the fields. */
    public Builder resourcePlaintext(String plaintext) {
      this.resourcePlaintext = plaintext;
      return this;
    }

    /** Signs this body as it is instead of the notification built from the fields. */
    public Builder body(String body) {
      this.body = body;
      return this;
    }

    /** The decrypted resource this notification carries (the transaction). */
    public String transactionJson() {
      if (resourcePlaintext != null) {
        return resourcePlaintext;
      }
      JsonObject amount = new JsonObject();
      amount.addProperty("total", amountCents);
      amount.addProperty("payer_total", amountCents);
      amount.addProperty("currency", "CNY");
      amount.addProperty("payer_currency", "CNY");
      JsonObject payer = new JsonObject();
      payer.addProperty("openid", "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o");
      JsonObject t = new JsonObject();
      t.addProperty("appid", appId);
      t.addProperty("mchid", mchId);
      t.addProperty("out_trade_no", outTradeNo);
      t.addProperty("transaction_id", transactionId);
      t.addProperty("trade_type", "JSAPI");
      t.addProperty("trade_state", tradeState);
      t.addProperty("trade_state_desc", tradeState);
      t.addProperty("bank_type", "CMC");
      t.addProperty("attach", "");
      if ("SUCCESS".equals(tradeState)) {
        t.addProperty("success_time", RFC3339.format(timestamp.truncatedTo(ChronoUnit.SECONDS)));
      }
      t.add("payer", payer);
      t.add("amount", amount);
      return GSON.toJson(t);
    }

    /** The notification body: the envelope with the encrypted resource. */
    public String bodyJson() {
      if (body != null) {
        return body;
      }
      byte[] aad = withAssociatedData ? bytes(associatedData) : null;
      String ciphertext =
          new AeadAesCipher(encryptionKey.getBytes(StandardCharsets.UTF_8))
              .encrypt(aad, bytes(resourceNonce), bytes(transactionJson()));
      JsonObject resource = new JsonObject();
      resource.addProperty("original_type", "transaction");
      resource.addProperty("algorithm", "AEAD_AES_256_GCM");
      resource.addProperty("ciphertext", ciphertext);
      if (withAssociatedData) {
        resource.addProperty("associated_data", associatedData);
      }
      resource.addProperty("nonce", resourceNonce);
      JsonObject n = new JsonObject();
      n.addProperty("id", notifyId);
      n.addProperty("create_time", RFC3339.format(timestamp.truncatedTo(ChronoUnit.SECONDS)));
      n.addProperty("resource_type", "encrypt-resource");
      n.addProperty("event_type", "TRANSACTION." + tradeState);
      n.addProperty("summary", "支付成功");
      n.add("resource", resource);
      return GSON.toJson(n);
    }

    public Signed build() {
      String content = bodyJson();
      String timestampHeader = Long.toString(timestamp.getEpochSecond());
      Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
      headers.put("Wechatpay-Serial", serial);
      headers.put("Wechatpay-Timestamp", timestampHeader);
      headers.put("Wechatpay-Nonce", nonce);
      headers.put(
          "Wechatpay-Signature",
          sign(signingKey, timestampHeader + "\n" + nonce + "\n" + content + "\n"));
      if (signatureType != null) {
        headers.put("Wechatpay-Signature-Type", signatureType);
      }
      headers.put("Content-Type", "application/json");
      return new Signed(headers, content);
    }
  }

  /**
   * A notification as sent: its headers (looked up case-insensitively) and its body.
   *
   * @param headers by name, case-insensitive
   * @param body the JSON body, exactly as signed
   */
  public record Signed(Map<String, String> headers, String body) {
    public Signed {
      TreeMap<String, String> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
      copy.putAll(headers);
      headers = Collections.unmodifiableMap(copy);
    }

    /** The header of that name (any case), or null. */
    public String header(String name) {
      return headers.get(name);
    }

    /** {@link #header(String)} as a function, as the verifier takes it. */
    public Function<String, String> headerLookup() {
      return this::header;
    }

    public Signed withoutHeader(String name) {
      Map<String, String> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
      copy.putAll(headers);
      copy.remove(name);
      return new Signed(copy, body);
    }

    public Signed withHeader(String name, String value) {
      Map<String, String> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
      copy.putAll(headers);
      copy.put(name, value);
      return new Signed(copy, body);
    }

    /** The same headers (signature included) with another body: tampering in transit. */
    public Signed withBody(String body) {
      return new Signed(headers, body);
    }
  }

  static String sign(PrivateKey key, String message) {
    try {
      Signature signature = Signature.getInstance("SHA256withRSA");
      signature.initSign(key);
      signature.update(message.getBytes(StandardCharsets.UTF_8));
      return Base64.getEncoder().encodeToString(signature.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String randomDigits(int n) {
    StringBuilder s = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      s.append((char) ('0' + RANDOM.nextInt(10)));
    }
    return s.toString();
  }

  static String randomAlphanumeric(int n) {
    return newApiV3Key().repeat((n + 31) / 32).substring(0, n);
  }
}
