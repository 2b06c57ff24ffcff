package io.railrush.app.identity;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springdoc.core.customizers.OperationCustomizer;
import org.springdoc.core.utils.SpringDocUtils;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.MethodParameter;

/**
 * How callers prove who they are, in the OpenAPI description: the identity parameters of a handler
 * are not request parameters but bearer tokens — a user token (HS256 JWT from {@code POST
 * /api/v1/sessions}) or the admin token.
 */
@Configuration(proxyBeanMethods = false)
class IdentityOpenApi {

  static final String USER = "userToken";
  static final String ADMIN = "adminToken";

  static {
    SpringDocUtils.getConfig()
        .addRequestWrapperToIgnore(AuthenticatedUser.class, AdminAccess.class, Caller.class);
  }

  @Bean
  OpenApiCustomizer bearerSchemes() {
    return openApi -> {
      if (openApi.getComponents() == null) {
        openApi.setComponents(new Components());
      }
      openApi
          .getComponents()
          .addSecuritySchemes(
              USER,
              new SecurityScheme()
                  .type(SecurityScheme.Type.HTTP)
                  .scheme("bearer")
                  .bearerFormat("JWT")
                  .description("a user token from POST /api/v1/sessions"))
          .addSecuritySchemes(
              ADMIN,
              new SecurityScheme()
                  .type(SecurityScheme.Type.HTTP)
                  .scheme("bearer")
                  .description("the admin token (railrush.admin.token)"));
    };
  }

  @Bean
  OperationCustomizer bearerRequirements() {
    return (operation, handler) -> {
      Set<Class<?>> identities =
          Arrays.stream(handler.getMethodParameters())
              .map(MethodParameter::getParameterType)
              .collect(Collectors.toSet());
      if (identities.contains(AuthenticatedUser.class) || identities.contains(Caller.class)) {
        operation.addSecurityItem(new SecurityRequirement().addList(USER));
      }
      if (identities.contains(AdminAccess.class) || identities.contains(Caller.class)) {
        operation.addSecurityItem(new SecurityRequirement().addList(ADMIN));
      }
      return operation;
    };
  }
}
