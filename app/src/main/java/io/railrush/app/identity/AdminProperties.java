package io.railrush.app.identity;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * @param token the bearer token of the admin API; cluster mode has no default
 */
@ConfigurationProperties("railrush.admin")
record AdminProperties(String token) {}
