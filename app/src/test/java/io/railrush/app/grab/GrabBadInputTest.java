package io.railrush.app.grab;

import static org.assertj.core.api.Assertions.assertThat;

import io.railrush.app.testing.Api;
import io.railrush.app.testing.EmbeddedApiTest;
import io.railrush.app.testing.TestTokens;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Every kind of bad grab gets a clear 4xx problem and reserves, queues and writes nothing. */
@EmbeddedApiTest
class GrabBadInputTest {

  @LocalServerPort int port;
  @Autowired JdbcClient jdbc;
  @Autowired SeatHolds seats;
  Api api;
  String runId;

  @BeforeEach
  void connect() {
    api = new Api(port);
    runId = EmbeddedGrabTest.newRun(api, 10, null);
  }

  private long everythingWritten() {
    return jdbc.sql(
            "select (select count(*) from ticket_order) + (select count(*) from grab_outbox)")
        .query(Long.class)
        .single();
  }

  private static String token(String user) {
    return TestTokens.valid(TestTokens.EMBEDDED_SECRET, user);
  }

  static Stream<Arguments> badBodies() {
    return Stream.of(
        Arguments.of("malformed JSON", "{\"couponId\":"),
        Arguments.of("not an object", "[\"c1\"]"),
        Arguments.of("unknown field", "{\"seat\":\"12A\"}"),
        Arguments.of("coupon as number", "{\"couponId\":12}"),
        Arguments.of("coupon with bad characters", "{\"couponId\":\"c1; drop table\"}"),
        Arguments.of("coupon too long", "{\"couponId\":\"" + "c".repeat(65) + "\"}"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badBodies")
  void aMalformedBodyIs400(String kind, String body) {
    long before = everythingWritten();
    assertProblem(
        api.post("/api/v1/runs/" + runId + "/grabs", token("body-" + kind.hashCode()), body),
        400,
        "BAD_REQUEST");
    assertThat(everythingWritten()).isEqualTo(before);
  }

  @Test
  void anUnknownCouponIs404() {
    long before = everythingWritten();
    assertProblem(
        api.post(
            "/api/v1/runs/" + runId + "/grabs",
            token("couponer"),
            "{\"couponId\":\"no-such-coupon\"}"),
        404,
        "NOT_FOUND");
    assertThat(everythingWritten()).isEqualTo(before);
  }

  @Test
  void anUnknownRunIs404() {
    long before = everythingWritten();
    assertProblem(api.post("/api/v1/runs/G0-20991231/grabs", token("lost"), ""), 404, "NOT_FOUND");
    assertProblem(
        api.post("/api/v1/runs/" + "x".repeat(300) + "/grabs", token("lost"), ""),
        404,
        "NOT_FOUND");
    assertThat(everythingWritten()).isEqualTo(before);
  }

  @Test
  void missingExpiredForgedAndUnsignedTokensAre401() {
    long before = everythingWritten();
    String expired =
        TestTokens.token(TestTokens.EMBEDDED_SECRET, "alice", Instant.now().minusSeconds(60));
    String forged =
        TestTokens.token(
            "another-secret-of-at-least-32-bytes-long!!", "alice", Instant.now().plusSeconds(600));
    for (String bad : new String[] {null, expired, forged, "garbage", Api.ADMIN_TOKEN}) {
      assertProblem(api.post("/api/v1/runs/" + runId + "/grabs", bad, ""), 401, "UNAUTHORIZED");
    }
    assertThat(everythingWritten()).isEqualTo(before);
  }

  @Test
  void aBadIdempotencyKeyIs400() {
    long before = everythingWritten();
    for (String key : new String[] {"k".repeat(65), "has space", "é"}) {
      Api.Reply reply =
          api.send(
              HttpRequest.newBuilder(URI.create(api.uri("/api/v1/runs/" + runId + "/grabs")))
                  .header("Authorization", "Bearer " + token("keyed"))
                  .header("Idempotency-Key", key)
                  .POST(HttpRequest.BodyPublishers.noBody()));
      assertProblem(reply, 400, "BAD_REQUEST");
    }
    assertThat(everythingWritten()).isEqualTo(before);
  }

  @Test
  void aHugeBodyIs413() {
    long before = everythingWritten();
    String huge = "{\"couponId\":\"" + "c".repeat(70_000) + "\"}";
    assertProblem(
        api.post("/api/v1/runs/" + runId + "/grabs", token("huge"), huge),
        413,
        "PAYLOAD_TOO_LARGE");
    assertThat(everythingWritten()).isEqualTo(before);
  }

  @Test
  void badOrderRequestsAreRefused() {
    assertProblem(
        api.get("/api/v1/orders/E0000000000000000001", token("nobody")), 404, "NOT_FOUND");
    assertProblem(api.get("/api/v1/orders/not-an-order", token("nobody")), 404, "NOT_FOUND");
    assertProblem(api.get("/api/v1/orders"), 401, "UNAUTHORIZED");
    assertProblem(
        api.post("/api/v1/orders/E0000000000000000001/cancel", token("nobody"), ""),
        404,
        "NOT_FOUND");
    assertProblem(
        api.get("/api/v1/admin/runs/" + runId + "/audit", token("nosy")), 403, "FORBIDDEN");
    assertProblem(
        api.get("/api/v1/admin/runs/G0-20991231/audit", Api.ADMIN_TOKEN), 404, "NOT_FOUND");
  }

  private HttpRequest.Builder grabRequest(String runPath, String bearer) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(api.uri("/api/v1/runs/" + runPath + "/grabs")));
    if (bearer != null) {
      request.header("Authorization", "Bearer " + bearer);
    }
    return request;
  }

  static Stream<String> edgeCases() {
    return Stream.of(
        "duplicate JSON keys",
        "trailing garbage after the JSON",
        "invalid UTF-8",
        "a token without sub",
        "a token without exp",
        "a token signed HS512 with the same secret",
        "a token signed RS256",
        "an unsigned token (alg none)",
        "%2F in the run id",
        "%00 in the run id",
        "an empty Idempotency-Key",
        "a repeated Idempotency-Key",
        "GET on grabs",
        "PUT on grabs");
  }

  /**
   * Each edge case is a 4xx problem and changes nothing: no row, the run's stock as it was, and the
   * caller's one attempt still unspent (a valid grab right after it is 202).
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("edgeCases")
  void anEdgeCaseIsA4xxProblemAndChangesNothing(String kind) throws Exception {
    String user = "edge-" + Integer.toHexString(kind.hashCode());
    String token = token(user);
    String grabs = "/api/v1/runs/" + runId + "/grabs";
    long rowsBefore = everythingWritten();
    long stockBefore = stock();
    HttpRequest.Builder request =
        switch (kind) {
          case "duplicate JSON keys" ->
              json(grabs, token, "{\"couponId\":\"a\",\"couponId\":\"b\"}");
          case "trailing garbage after the JSON" -> json(grabs, token, "{} {\"couponId\":\"a\"}");
          case "invalid UTF-8" ->
              grabRequest(runId, token)
                  .header("Content-Type", "application/json")
                  .POST(
                      HttpRequest.BodyPublishers.ofByteArray(
                          new byte[] {
                            '{',
                            '"',
                            'c',
                            'o',
                            'u',
                            'p',
                            'o',
                            'n',
                            'I',
                            'd',
                            '"',
                            ':',
                            '"',
                            (byte) 0xC3,
                            (byte) 0x28,
                            '"',
                            '}'
                          }));
          case "a token without sub" -> json(grabs, unsignedClaims(token, "sub"), "");
          case "a token without exp" -> json(grabs, unsignedClaims(token, "exp"), "");
          case "a token signed HS512 with the same secret" -> json(grabs, hs512(user), "");
          case "a token signed RS256" -> json(grabs, rs256(user), "");
          case "an unsigned token (alg none)" ->
              json(grabs, new com.nimbusds.jwt.PlainJWT(claims(user)).serialize(), "");
          case "%2F in the run id" ->
              grabRequest(runId + "%2Fx", token).POST(HttpRequest.BodyPublishers.noBody());
          case "%00 in the run id" ->
              grabRequest(runId + "%00", token).POST(HttpRequest.BodyPublishers.noBody());
          case "an empty Idempotency-Key" ->
              grabRequest(runId, token)
                  .header("Idempotency-Key", "")
                  .POST(HttpRequest.BodyPublishers.noBody());
          case "a repeated Idempotency-Key" ->
              grabRequest(runId, token)
                  .header("Idempotency-Key", "k1")
                  .header("Idempotency-Key", "k2")
                  .POST(HttpRequest.BodyPublishers.noBody());
          case "GET on grabs" -> grabRequest(runId, token).GET();
          case "PUT on grabs" -> grabRequest(runId, token).PUT(HttpRequest.BodyPublishers.noBody());
          default -> throw new IllegalArgumentException(kind);
        };
    Api.Reply reply = api.send(request);
    assertThat(reply.status()).as(kind + ": " + reply.body()).isBetween(400, 499);
    if (kind.contains("JSON") || kind.contains("UTF-8")) {
      assertThat(reply.status())
          .as(kind + " is refused as a body, not for what it names")
          .isEqualTo(400);
    }
    assertThat(reply.contentType()).as(kind).startsWith("application/problem+json");
    assertThat(everythingWritten()).as("rows").isEqualTo(rowsBefore);
    assertThat(stock()).as("the run's stock").isEqualTo(stockBefore);
    Api.Reply valid = api.post(grabs, token, "");
    assertThat(valid.status())
        .as("the caller's attempt is unspent: " + valid.body())
        .isEqualTo(202);
  }

  private HttpRequest.Builder json(String path, String bearer, String body) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(api.uri(path)))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (bearer != null) {
      request.header("Authorization", "Bearer " + bearer);
    }
    return request;
  }

  /** The seat store's own count (−1 while the run is not loaded), not a cached view of it. */
  private long stock() {
    return seats.remaining(runId);
  }

  private static com.nimbusds.jwt.JWTClaimsSet claims(String user) {
    return new com.nimbusds.jwt.JWTClaimsSet.Builder()
        .subject(user)
        .expirationTime(java.util.Date.from(Instant.now().plusSeconds(600)))
        .build();
  }

  /** The valid token's header and signature scheme, with one claim left out and signed again. */
  private static String unsignedClaims(String validToken, String dropped) throws Exception {
    com.nimbusds.jwt.JWTClaimsSet all =
        com.nimbusds.jwt.SignedJWT.parse(validToken).getJWTClaimsSet();
    com.nimbusds.jwt.JWTClaimsSet.Builder kept = new com.nimbusds.jwt.JWTClaimsSet.Builder();
    all.getClaims()
        .forEach(
            (name, value) -> {
              if (!name.equals(dropped)) {
                kept.claim(name, name.equals("exp") ? all.getExpirationTime() : value);
              }
            });
    com.nimbusds.jwt.SignedJWT jwt =
        new com.nimbusds.jwt.SignedJWT(
            new com.nimbusds.jose.JWSHeader(com.nimbusds.jose.JWSAlgorithm.HS256), kept.build());
    jwt.sign(
        new com.nimbusds.jose.crypto.MACSigner(
            TestTokens.EMBEDDED_SECRET.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    return jwt.serialize();
  }

  /** HS512 over the server's own secret, signed by hand (too short a key for the library). */
  private static String hs512(String user) throws Exception {
    java.util.Base64.Encoder b64 = java.util.Base64.getUrlEncoder().withoutPadding();
    String header =
        b64.encodeToString("{\"alg\":\"HS512\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    String payload =
        b64.encodeToString(
            claims(user).toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA512");
    mac.init(
        new javax.crypto.spec.SecretKeySpec(
            TestTokens.EMBEDDED_SECRET.getBytes(java.nio.charset.StandardCharsets.UTF_8),
            "HmacSHA512"));
    byte[] signature =
        mac.doFinal((header + "." + payload).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    return header + "." + payload + "." + b64.encodeToString(signature);
  }

  private static String rs256(String user) throws Exception {
    java.security.KeyPairGenerator generator = java.security.KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    java.security.KeyPair keys = generator.generateKeyPair();
    com.nimbusds.jwt.SignedJWT jwt =
        new com.nimbusds.jwt.SignedJWT(
            new com.nimbusds.jose.JWSHeader(com.nimbusds.jose.JWSAlgorithm.RS256), claims(user));
    jwt.sign(new com.nimbusds.jose.crypto.RSASSASigner(keys.getPrivate()));
    return jwt.serialize();
  }

  private static void assertProblem(Api.Reply reply, int status, String code) {
    assertThat(reply.status()).as(reply.body()).isEqualTo(status);
    assertThat(reply.contentType()).startsWith("application/problem+json");
    assertThat(reply.code()).isEqualTo(code);
  }
}
