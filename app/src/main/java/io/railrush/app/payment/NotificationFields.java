package io.railrush.app.payment;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import org.springframework.core.io.Resource;

/** What every provider's verifier checks the same way: required and bounded fields, keys. */
final class NotificationFields {

  private NotificationFields() {}

  static boolean blank(String s) {
    return s == null || s.isBlank();
  }

  static boolean tooLong(String s, int max) {
    return s != null && s.length() > max;
  }

  /** A value quoted in a refusal, cut short: refusals must not echo a whole forged body back. */
  static String abbreviate(String s) {
    return s.length() <= 64 ? s : s.substring(0, 64) + "...";
  }

  /**
   * The RSA public key in the PEM file at {@code location} (X.509 SubjectPublicKeyInfo); fails
   * start-up, naming {@code property}, when it cannot be read or is not one.
   */
  static PublicKey rsaPublicKey(Resource location, String property) {
    byte[] der = pemContent(location, property);
    try {
      return KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(der));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(property + " is not an RSA public key (PEM)", e);
    }
  }

  /**
   * The RSA private key in the PEM file at {@code location} (PKCS#8, {@code BEGIN PRIVATE KEY});
   * fails start-up, naming {@code property}, when it cannot be read or is not one.
   */
  static PrivateKey rsaPrivateKey(Resource location, String property) {
    byte[] der = pemContent(location, property);
    try {
      return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(property + " is not an RSA private key (PKCS#8 PEM)", e);
    }
  }

  /** The bytes between a PEM file's armour lines. */
  private static byte[] pemContent(Resource location, String property) {
    String pem;
    try {
      pem = location.getContentAsString(StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot read " + property + " " + location.getDescription(), e);
    }
    String base64 = pem.replaceAll("-----(BEGIN|END) [A-Z ]+-----", "").replaceAll("\\s+", "");
    try {
      return Base64.getDecoder().decode(base64);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(property + " is not a PEM file", e);
    }
  }
}
