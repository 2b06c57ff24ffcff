package io.railrush.app.identity;

import io.railrush.app.web.ApiException;
import io.railrush.app.web.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.springframework.core.MethodParameter;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;

/**
 * Resolves {@link AuthenticatedUser} and {@link AdminAccess} controller parameters from the bearer
 * token, or refuses the request with 401/403 before the handler runs.
 */
@Component
class CallerResolver implements HandlerMethodArgumentResolver {

  private final UserTokens tokens;
  private final BearerUsers users;
  private final byte[] adminToken;

  CallerResolver(UserTokens tokens, BearerUsers users, AdminProperties admin) {
    if (admin.token() == null || admin.token().isBlank()) {
      throw new IllegalStateException("railrush.admin.token must be set");
    }
    this.tokens = tokens;
    this.users = users;
    this.adminToken = admin.token().getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public boolean supportsParameter(MethodParameter parameter) {
    Class<?> type = parameter.getParameterType();
    return type == AuthenticatedUser.class || type == AdminAccess.class || type == Caller.class;
  }

  @Override
  public Object resolveArgument(
      MethodParameter parameter,
      ModelAndViewContainer mav,
      NativeWebRequest request,
      WebDataBinderFactory binders) {
    String header = request.getHeader(HttpHeaders.AUTHORIZATION);
    if (parameter.getParameterType() == AuthenticatedUser.class) {
      return users.user(header);
    }
    String token = BearerUsers.token(header);
    boolean isAdmin = MessageDigest.isEqual(adminToken, token.getBytes(StandardCharsets.UTF_8));
    if (parameter.getParameterType() == Caller.class) {
      return isAdmin ? new Caller(null, true) : new Caller(tokens.verify(token), false);
    }
    if (parameter.getParameterType() == AdminAccess.class) {
      if (isAdmin) {
        return new AdminAccess();
      }
      tokens.verify(token); // a valid user token is authenticated but not allowed here
      throw new ApiException(ErrorCode.FORBIDDEN, "the admin token is required");
    }
    throw new IllegalArgumentException(parameter.toString());
  }
}
