package io.railrush.app.payment;

import static io.railrush.app.payment.NotificationFields.abbreviate;
import static io.railrush.app.payment.NotificationFields.blank;
import static io.railrush.app.payment.NotificationFields.tooLong;
import static io.railrush.app.payment.NotificationRejected.badSignature;
import static io.railrush.app.payment.NotificationRejected.malformed;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonPrimitive;
import com.wechat.pay.java.core.exception.DecryptionException;
import com.wechat.pay.java.core.exception.MalformedMessageException;
import com.wechat.pay.java.core.exception.ValidationException;
import com.wechat.pay.java.core.notification.Notification;
import com.wechat.pay.java.core.notification.NotificationParser;
import com.wechat.pay.java.core.notification.RSAPublicKeyNotificationConfig;
import com.wechat.pay.java.core.notification.RequestParam;
import com.wechat.pay.java.core.util.GsonUtil;
import com.wechat.pay.java.service.payments.model.Transaction;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;
import java.util.function.Function;

/**
 * WeChat Pay API v3 payment notifications ({@code TRANSACTION.*}), verified with the official SDK's
 * {@link NotificationParser} against the configured platform public key (no certificate download:
 * it works offline).
 *
 * <p>Order of checks: the five headers are present ({@code MALFORMED} otherwise); the {@code
 * Wechatpay-Serial} is the configured platform key id and the {@code Wechatpay-Timestamp} is within
 * the maximum age of the clock ({@code BAD_SIGNATURE} otherwise); then the SDK checks the
 * SHA256withRSA signature over {@code timestamp\nnonce\nbody\n} and decrypts the AEAD_AES_256_GCM
 * resource with the APIv3 key. The SDK itself never looks at the timestamp (only its HTTP response
 * validator does), so the replay window is ours alone. Every SDK failure, including the {@link
 * NullPointerException} it throws for a resource without {@code associated_data}, is turned into a
 * {@link NotificationRejected}.
 */
final class WeChatPayNotifications {

  static final String SERIAL = "Wechatpay-Serial";
  static final String SIGNATURE = "Wechatpay-Signature";
  static final String TIMESTAMP = "Wechatpay-Timestamp";
  static final String NONCE = "Wechatpay-Nonce";
  static final String SIGNATURE_TYPE = "Wechatpay-Signature-Type";
  static final String DEFAULT_SIGNATURE_TYPE = "WECHATPAY2-SHA256-RSA2048";

  private final Gson gson = GsonUtil.getGson();
  private final NotificationParser parser;
  private final String platformSerial;
  private final Clock clock;
  private final Duration maxAge;

  WeChatPayNotifications(PaymentProperties.WeChat config, Clock clock, Duration maxAge) {
    Objects.requireNonNull(config, "config");
    if (!config.configured()) {
      throw new IllegalArgumentException(
          "railrush.payment.wechat needs mch-id, app-id, api-v3-key, platform-serial and"
              + " platform-public-key");
    }
    if (config.apiV3Key().getBytes(StandardCharsets.UTF_8).length != 32) {
      throw new IllegalArgumentException("railrush.payment.wechat.api-v3-key must be 32 bytes");
    }
    this.clock = Objects.requireNonNull(clock, "clock");
    this.maxAge = Objects.requireNonNull(maxAge, "maxAge");
    this.platformSerial = config.platformSerial();
    PublicKey publicKey =
        NotificationFields.rsaPublicKey(
            config.platformPublicKey(), "railrush.payment.wechat.platform-public-key");
    this.parser =
        new NotificationParser(
            new RSAPublicKeyNotificationConfig.Builder()
                .publicKey(publicKey)
                .publicKeyId(config.platformSerial())
                .apiV3Key(config.apiV3Key())
                .build());
  }

  /**
   * @param header the request's header of that name, or null (looked up case-insensitively by the
   *     caller)
   * @param body the raw request body, exactly as received
   * @throws NotificationRejected when the notification is not from WeChat Pay, stale, or unreadable
   */
  VerifiedNotification verify(Function<String, String> header, String body) {
    String serial = required(header, SERIAL);
    String signature = required(header, SIGNATURE);
    String timestamp = required(header, TIMESTAMP);
    String nonce = required(header, NONCE);
    String signatureType = header.apply(SIGNATURE_TYPE);
    if (signatureType == null || signatureType.isBlank()) {
      signatureType = DEFAULT_SIGNATURE_TYPE;
    }
    if (body == null || body.isEmpty()) {
      throw malformed("the body is empty");
    }
    try {
      Base64.getDecoder().decode(signature);
    } catch (IllegalArgumentException notBase64) {
      throw malformed(SIGNATURE + " is not base64");
    }
    if (!platformSerial.equals(serial)) {
      throw badSignature(SERIAL + " " + abbreviate(serial) + " is not the configured platform key");
    }
    Instant sent;
    try {
      sent = Instant.ofEpochSecond(Long.parseLong(timestamp));
    } catch (RuntimeException notEpochSeconds) { // NumberFormatException, DateTimeException
      throw malformed(TIMESTAMP + " is not epoch seconds");
    }
    if (Duration.between(sent, clock.instant()).abs().compareTo(maxAge) > 0) {
      throw badSignature(TIMESTAMP + " is further than " + maxAge + " from now");
    }

    JsonObject resource = decrypt(serial, signature, timestamp, nonce, signatureType, body);
    // the signature checked out and the body is a notification (the SDK parsed it): read its id
    Notification notification;
    Transaction transaction;
    try {
      notification = gson.fromJson(body, Notification.class);
      transaction = gson.fromJson(resource, Transaction.class);
    } catch (RuntimeException unreadable) { // gson's JsonParseException, IllegalStateException
      throw malformed("the notification or its resource is not what was expected", unreadable);
    }
    return toVerified(notification, transaction, resource);
  }

  private JsonObject decrypt(
      String serial,
      String signature,
      String timestamp,
      String nonce,
      String signatureType,
      String body) {
    RequestParam request =
        new RequestParam.Builder()
            .serialNumber(serial)
            .signature(signature)
            .timestamp(timestamp)
            .nonce(nonce)
            .signType(signatureType)
            .body(body)
            .build();
    try {
      JsonObject resource = parser.parse(request, JsonObject.class);
      if (resource == null) {
        throw malformed("the decrypted resource is empty");
      }
      return resource;
    } catch (NotificationRejected rejected) {
      throw rejected;
    } catch (ValidationException forged) {
      // unknown signature type, serial not the key's id, or the signature does not match
      throw badSignature("the signature does not check out", forged);
    } catch (DecryptionException undecryptable) {
      // the GCM tag does not check out: not encrypted with our APIv3 key, or altered
      throw badSignature("the resource does not decrypt with the APIv3 key", undecryptable);
    } catch (MalformedMessageException incomplete) {
      // no resource, algorithm, ciphertext or nonce, or an algorithm other than AEAD_AES_256_GCM
      throw malformed("the notification or its resource is incomplete", incomplete);
    } catch (JsonParseException notJson) {
      throw malformed("the notification or its resource is not JSON", notJson);
    } catch (NullPointerException noAssociatedData) {
      // the SDK dereferences resource.associated_data without checking it
      throw malformed("the resource has no associated_data", noAssociatedData);
    } catch (RuntimeException other) {
      // bad base64 ciphertext, a nonce GCM refuses, gson's IllegalStateException, ...
      throw malformed(
          "the notification cannot be read (" + other.getClass().getSimpleName() + ")", other);
    }
  }

  private VerifiedNotification toVerified(
      Notification notification, Transaction transaction, JsonObject resource) {
    if (notification == null || transaction == null) {
      throw malformed("the notification is empty");
    }
    String notifyId = notification.getId();
    String outTradeNo = transaction.getOutTradeNo();
    String transactionId = transaction.getTransactionId();
    // not transaction.getAmount().getTotal(): read from a JSON tree, gson truncates 1.5 or 2^40 to
    // an
    // int without complaint
    Long total = exactTotal(resource);
    if (blank(notifyId)
        || blank(outTradeNo)
        || total == null
        || transaction.getTradeState() == null) {
      throw malformed(
          "id, out_trade_no, an integral amount.total and a known trade_state are required");
    }
    if (total < 0) {
      throw malformed("amount.total is negative");
    }
    TradeState state = stateOf(transaction.getTradeState());
    if (state == TradeState.PAID && blank(transactionId)) {
      throw malformed("transaction_id is required with SUCCESS");
    }
    if (tooLong(notifyId, 128)
        || tooLong(outTradeNo, 64)
        || tooLong(transactionId, 64)
        || tooLong(transaction.getMchid(), 64)
        || tooLong(transaction.getAppid(), 64)) {
      throw malformed("an id is too long");
    }
    return new VerifiedNotification(
        Provider.WECHAT,
        notifyId,
        outTradeNo,
        blank(transactionId) ? null : transactionId,
        total,
        state,
        transaction.getMchid(),
        transaction.getAppid(),
        gson.toJson(resource));
  }

  static TradeState stateOf(Transaction.TradeStateEnum tradeState) {
    return switch (tradeState) {
      case SUCCESS -> TradeState.PAID;
      // ACCEPT (accepted, awaiting the debit: entrusted deductions) is not settled yet either
      case NOTPAY, USERPAYING, ACCEPT -> TradeState.WAITING;
      case PAYERROR -> TradeState.FAILED;
      case CLOSED, REVOKED, REFUND -> TradeState.CLOSED;
    };
  }

  /** {@code amount.total} when it is an integral JSON number that fits an int, otherwise null */
  private static Long exactTotal(JsonObject resource) {
    if (!(resource.get("amount") instanceof JsonObject amount)
        || !(amount.get("total") instanceof JsonPrimitive total)
        || !total.isNumber()) {
      return null;
    }
    try {
      return (long) new BigDecimal(total.getAsString()).intValueExact(); // an int in API v3
    } catch (ArithmeticException | NumberFormatException notAnInteger) {
      return null;
    }
  }

  private static String required(Function<String, String> header, String name) {
    String value = header.apply(name);
    if (value == null || value.isBlank()) {
      throw malformed(name + " is missing");
    }
    return value.strip();
  }
}
