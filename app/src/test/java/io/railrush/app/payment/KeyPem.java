package io.railrush.app.payment;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.Base64;

/** Keys as the PEM files our configuration points at, for the simulators. */
public final class KeyPem {

  private KeyPem() {}

  /** {@code BEGIN PUBLIC KEY} armour around the X.509 SubjectPublicKeyInfo. */
  private static String text(PublicKey key) {
    return armour("PUBLIC KEY", key.getEncoded());
  }

  /** The key written to a new temporary file (deleted when the JVM exits). */
  public static Path temporaryFile(PublicKey key, String prefix) {
    return write(text(key), prefix);
  }

  /** The private key, PKCS#8 ({@code BEGIN PRIVATE KEY}), in a new temporary file. */
  public static Path temporaryFile(PrivateKey key, String prefix) {
    return write(armour("PRIVATE KEY", key.getEncoded()), prefix);
  }

  private static String armour(String label, byte[] der) {
    return "-----BEGIN "
        + label
        + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END "
        + label
        + "-----\n";
  }

  private static Path write(String pem, String prefix) {
    try {
      Path file = Files.createTempFile(prefix, ".pem");
      file.toFile().deleteOnExit();
      return Files.writeString(file, pem, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
