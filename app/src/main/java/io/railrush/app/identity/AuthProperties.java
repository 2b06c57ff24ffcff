package io.railrush.app.identity;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * User tokens ({@code railrush.auth.*}); the admin token is {@code railrush.admin.token}.
 *
 * @param secret HS256 key for user tokens, at least 32 bytes
 * @param demoLogin whether {@code POST /api/v1/sessions} issues tokens to anyone
 * @param tokenTtl how long an issued token is valid
 */
@ConfigurationProperties("railrush.auth")
record AuthProperties(
    String secret,
    @DefaultValue("false") boolean demoLogin,
    @DefaultValue("12h") Duration tokenTtl) {}
