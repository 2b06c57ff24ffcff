package io.railrush.app.payment;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.Base64;

/** A provider's public key as the PEM file our configuration points at, for the simulators. */
public final class PublicKeyPem {

  private PublicKeyPem() {}

  /** {@code BEGIN PUBLIC KEY} armour around the X.509 SubjectPublicKeyInfo. */
  public static String text(PublicKey key) {
    return "-----BEGIN PUBLIC KEY-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
            .encodeToString(key.getEncoded())
        + "\n-----END PUBLIC KEY-----\n";
  }

  /** The key written to a new temporary file (deleted when the JVM exits). */
  public static Path temporaryFile(PublicKey key, String prefix) {
    try {
      Path file = Files.createTempFile(prefix, ".pem");
      file.toFile().deleteOnExit();
      return Files.writeString(file, text(key), StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
