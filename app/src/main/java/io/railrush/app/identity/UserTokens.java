package io.railrush.app.identity;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
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
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;

/** Issues and verifies the HS256 user tokens of docs/api.md ("Authentication"). */
@Component
class UserTokens {

  static final Pattern USER_ID = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

  private final AuthProperties properties;
  private final MACSigner signer;
  private final MACVerifier verifier;
  private final Clock clock;

  UserTokens(AuthProperties properties, Clock clock) throws JOSEException {
    if (properties.secret() == null
        || properties.secret().getBytes(StandardCharsets.UTF_8).length < 32) {
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

  private record Verified(String userId, Instant expires) {}

  /**
   * Tokens whose signature was already checked: a flash crowd retries with the same token many
   * times a minute, and parsing plus HMAC cost more than the rest of a refused grab. Keyed by the
   * whole token, so a changed byte is a miss and is verified in full; expiry is checked every time.
   */
  private final Cache<String, Verified> verified =
      Caffeine.newBuilder().maximumSize(200_000).expireAfterWrite(Duration.ofMinutes(10)).build();

  /** The user id of a valid, unexpired token; 401 otherwise. */
  String verify(String token) {
    Verified known = verified.getIfPresent(token);
    if (known == null) {
      known = verifyInFull(token);
      verified.put(token, known);
    }
    if (!known.expires().isAfter(clock.instant())) {
      throw unauthorized("token has expired");
    }
    return known.userId();
  }

  private Verified verifyInFull(String token) {
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
      return new Verified(subject, expires.toInstant());
    } catch (ParseException | JOSEException e) {
      throw unauthorized("token is malformed");
    }
  }

  static ApiException unauthorized(String detail) {
    return new ApiException(ErrorCode.UNAUTHORIZED, detail);
  }
}
