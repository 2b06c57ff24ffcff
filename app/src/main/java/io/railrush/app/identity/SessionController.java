package io.railrush.app.identity;

import io.railrush.app.web.ApiException;
import io.railrush.app.web.ErrorCode;
import io.railrush.app.web.Refusals;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.time.Instant;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Demo login: a token for any well-formed user id (docs/api.md, "Authentication"). */
@RestController
class SessionController {

  private final UserTokens tokens;
  private final AuthProperties properties;

  SessionController(UserTokens tokens, AuthProperties properties) {
    this.tokens = tokens;
    this.properties = properties;
  }

  record LoginRequest(
      @NotNull
          @Pattern(
              regexp = "[A-Za-z0-9_.-]{1,64}",
              message = "must be 1-64 characters of [A-Za-z0-9_.-]")
          String userId) {}

  record Session(String token, String userId, Instant expiresAt) {}

  @PostMapping("/api/v1/sessions")
  @Refusals({ErrorCode.BAD_REQUEST, ErrorCode.FORBIDDEN, ErrorCode.PAYLOAD_TOO_LARGE})
  @ResponseStatus(HttpStatus.CREATED)
  Session login(@Valid @RequestBody LoginRequest request) {
    if (!properties.demoLogin()) {
      throw new ApiException(
          ErrorCode.FORBIDDEN, "demo login is disabled (railrush.auth.demo-login=false)");
    }
    UserTokens.Issued issued = tokens.issue(request.userId());
    return new Session(issued.token(), request.userId(), issued.expiresAt());
  }
}
