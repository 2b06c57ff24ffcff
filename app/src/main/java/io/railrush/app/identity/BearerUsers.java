package io.railrush.app.identity;

import org.springframework.stereotype.Component;

/**
 * The user behind an {@code Authorization: Bearer …} header, for code that reads the header itself
 * rather than declaring an {@link AuthenticatedUser} parameter (the grab endpoint's lean path).
 */
@Component
public class BearerUsers {

  private static final String BEARER = "Bearer ";

  private final UserTokens tokens;

  BearerUsers(UserTokens tokens) {
    this.tokens = tokens;
  }

  /** The caller of a valid, unexpired user token; 401 {@code UNAUTHORIZED} otherwise. */
  public AuthenticatedUser user(String authorizationHeader) {
    return new AuthenticatedUser(tokens.verify(token(authorizationHeader)));
  }

  static String token(String authorizationHeader) {
    if (authorizationHeader == null
        || !authorizationHeader.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      throw UserTokens.unauthorized("a bearer token is required");
    }
    return authorizationHeader.substring(BEARER.length()).trim();
  }
}
