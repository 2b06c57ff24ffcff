package io.railrush.app.payment;

/**
 * A notification refused before anything is recorded: the provider is answered with a failure and
 * retries (or, for a forged one, gives up).
 */
final class NotificationRejected extends RuntimeException {

  enum Reason {
    /** signature, certificate serial, key or HMAC does not check out; or the timestamp is stale */
    BAD_SIGNATURE,
    /** a required header or field is missing or unreadable */
    MALFORMED
  }

  private final Reason reason;

  NotificationRejected(Reason reason, String message) {
    super(message, null, false, false);
    this.reason = reason;
  }

  NotificationRejected(Reason reason, String message, Throwable cause) {
    super(message, cause, false, false);
    this.reason = reason;
  }

  static NotificationRejected malformed(String message) {
    return new NotificationRejected(Reason.MALFORMED, message);
  }

  static NotificationRejected malformed(String message, Throwable cause) {
    return new NotificationRejected(Reason.MALFORMED, message, cause);
  }

  static NotificationRejected badSignature(String message) {
    return new NotificationRejected(Reason.BAD_SIGNATURE, message);
  }

  static NotificationRejected badSignature(String message, Throwable cause) {
    return new NotificationRejected(Reason.BAD_SIGNATURE, message, cause);
  }

  Reason reason() {
    return reason;
  }
}
