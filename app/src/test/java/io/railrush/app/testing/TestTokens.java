package io.railrush.app.testing;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;

/** User tokens signed in the test, as the server would sign them (no login round trip per user). */
public final class TestTokens {

  public static final String EMBEDDED_SECRET =
      "embedded-dev-secret-do-not-use-in-cluster-0123456789";
  public static final String CLUSTER_SECRET = "cluster-test-secret-of-at-least-32-bytes";

  private TestTokens() {}

  public static String token(String secret, String subject, Instant expires) {
    try {
      SignedJWT jwt =
          new SignedJWT(
              new JWSHeader(JWSAlgorithm.HS256),
              new JWTClaimsSet.Builder()
                  .subject(subject)
                  .expirationTime(Date.from(expires))
                  .build());
      jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
      return jwt.serialize();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  public static String valid(String secret, String subject) {
    return token(secret, subject, Instant.now().plusSeconds(3_600));
  }
}
