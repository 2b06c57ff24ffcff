package io.railrush.app.payment;

import static io.railrush.app.payment.NotificationFields.blank;
import static io.railrush.app.payment.NotificationFields.tooLong;
import static io.railrush.app.payment.NotificationRejected.malformed;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectMapper;

/**
 * The built-in simulator's notifications: JSON signed with HMAC-SHA256 of the raw body ({@code
 * X-Sim-Signature}, lower-case hex). The signature is checked on the bytes as received, before
 * anything is parsed.
 */
final class SimNotifications {

  /** The body the simulator sends. */
  record SimNotification(
      String notifyId,
      String outTradeNo,
      String transactionId,
      Long amountCents,
      String status,
      String timestamp) {}

  private final byte[] secret;
  private final ObjectMapper json;
  private final Clock clock;
  private final Duration maxAge;

  SimNotifications(String secret, ObjectMapper json, Clock clock, Duration maxAge) {
    this.secret = secret.getBytes(StandardCharsets.UTF_8);
    this.json = json;
    this.clock = clock;
    this.maxAge = maxAge;
  }

  VerifiedNotification verify(String signature, byte[] body) {
    if (signature == null || signature.isBlank()) {
      throw new NotificationRejected(
          NotificationRejected.Reason.BAD_SIGNATURE, "X-Sim-Signature is missing");
    }
    byte[] expected = hmac(body);
    byte[] given;
    try {
      given = HexFormat.of().parseHex(signature.strip());
    } catch (IllegalArgumentException notHex) {
      throw new NotificationRejected(
          NotificationRejected.Reason.BAD_SIGNATURE, "X-Sim-Signature is not hex");
    }
    if (!MessageDigest.isEqual(expected, given)) {
      throw new NotificationRejected(
          NotificationRejected.Reason.BAD_SIGNATURE, "X-Sim-Signature does not match the body");
    }
    SimNotification n;
    try {
      n = json.readValue(body, SimNotification.class);
    } catch (JacksonException malformed) {
      throw new NotificationRejected(
          NotificationRejected.Reason.MALFORMED,
          "malformed notification: " + malformed.getOriginalMessage());
    }
    if (n == null
        || blank(n.notifyId())
        || blank(n.outTradeNo())
        || n.amountCents() == null
        || blank(n.status())
        || blank(n.timestamp())) {
      throw new NotificationRejected(
          NotificationRejected.Reason.MALFORMED,
          "notifyId, outTradeNo, amountCents, status and timestamp are required");
    }
    if (n.notifyId().length() > 128
        || n.outTradeNo().length() > 64
        || tooLong(n.transactionId(), 64)) {
      throw new NotificationRejected(NotificationRejected.Reason.MALFORMED, "id too long");
    }
    TradeState state =
        switch (n.status()) {
          case "SUCCESS" -> TradeState.PAID;
          case "FAILED" -> TradeState.FAILED;
          case "NOTPAY" -> TradeState.WAITING; // only in answers to a trade-state query
          default ->
              throw new NotificationRejected(
                  NotificationRejected.Reason.MALFORMED,
                  "status must be SUCCESS, FAILED or NOTPAY");
        };
    if (state == TradeState.PAID && blank(n.transactionId())) {
      throw new NotificationRejected(
          NotificationRejected.Reason.MALFORMED, "transactionId is required with SUCCESS");
    }
    Instant sent;
    try {
      sent = java.time.OffsetDateTime.parse(n.timestamp()).toInstant();
    } catch (DateTimeParseException notATime) {
      throw new NotificationRejected(
          NotificationRejected.Reason.MALFORMED, "timestamp must be ISO-8601 with offset");
    }
    if (Duration.between(sent, clock.instant()).abs().compareTo(maxAge) > 0) {
      throw new NotificationRejected(
          NotificationRejected.Reason.BAD_SIGNATURE,
          "timestamp is further than " + maxAge + " from now");
    }
    return new VerifiedNotification(
        Provider.SIM,
        n.notifyId(),
        n.outTradeNo(),
        n.transactionId(),
        n.amountCents(),
        state,
        null,
        null,
        new String(body, StandardCharsets.UTF_8));
  }

  /** The {@code X-Sim-Signature} of a body: what the simulator (or the cashier) sends with it. */
  String sign(byte[] body) {
    return HexFormat.of().formatHex(hmac(body));
  }

  private byte[] hmac(byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      return mac.doFinal(body);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }
}
