package io.railrush.app.identity;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.railrush.app.web.ApiException;
import io.railrush.app.web.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;

/** Issues and verifies the HS256 user tokens of API.md ("Authentication"). */
@Component
class UserTokens {

  static final Pattern USER_ID = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

  private final AuthProperties properties;
  private final MACSigner signer;
  private final MACVerifier verifier;
  private final Clock clock;

  UserTokens(AuthProperties properties, Clock clock) throws JOSEException {
    if (properties.secret() == null || properties.secret().getBytes(StandardCharsets.UTF_8).length < 32) {
      throw new IllegalStateException("railrush.auth.secret must be set, at least 32 bytes");
    }
    byte[] key = properties.secret().getBytes(StandardCharsets.UTF_8);
    this.properties = properties;
    this.signer = new MACSigner(key);
    this.verifier = new MACVerifier(key);
    this.clock = clock;
  }

  record Issued(String token, Instant expiresAt) {}

  Issued issue(String userId) {
    Instant now = clock.instant();
    Instant expiresAt = now.plus(properties.tokenTtl());
    JWTClaimsSet claims =
        new JWTClaimsSet.Builder()
            .subject(userId)
            .issueTime(Date.from(now))
            .expirationTime(Date.from(expiresAt))
            .build();
    SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
    try {
      jwt.sign(signer);
    } catch (JOSEException e) {
      throw new IllegalStateException("cannot sign a token", e);
    }
    return new Issued(jwt.serialize(), expiresAt);
  }

  /** The user id of a valid, unexpired token; 401 otherwise. */
  String verify(String token) {
    try {
      SignedJWT jwt = SignedJWT.parse(token);
      if (!JWSAlgorithm.HS256.equals(jwt.getHeader().getAlgorithm()) || !jwt.verify(verifier)) {
        throw unauthorized("token signature is invalid");
      }
      JWTClaimsSet claims = jwt.getJWTClaimsSet();
      Date expires = claims.getExpirationTime();
      if (expires == null || !expires.toInstant().isAfter(clock.instant())) {
        throw unauthorized("token has expired");
      }
      String subject = claims.getSubject();
      if (subject == null || !USER_ID.matcher(subject).matches()) {
        throw unauthorized("token has no valid subject");
      }
      return subject;
    } catch (ParseException | JOSEException e) {
      throw unauthorized("token is malformed");
    }
  }

  static ApiException unauthorized(String detail) {
    return new ApiException(ErrorCode.UNAUTHORIZED, detail);
  }
}
