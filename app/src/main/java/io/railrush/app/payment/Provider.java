package io.railrush.app.payment;

import java.util.Locale;
import java.util.Optional;

/**
 * Who takes the money. Written in lower case on the wire: {@code sim}, {@code wechat}, {@code
 * alipay}.
 */
public enum Provider {
  /** the built-in simulator (HMAC-SHA256 signed JSON) */
  SIM,
  /** WeChat Pay API v3 (SHA256withRSA signed, AEAD_AES_256_GCM encrypted resource) */
  WECHAT,
  /** Alipay asynchronous notifications (RSA2 signed form) */
  ALIPAY;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<Provider> fromWire(String name) {
    for (Provider provider : values()) {
      if (provider.wireName().equals(name)) {
        return Optional.of(provider);
      }
    }
    return Optional.empty();
  }
}
