package io.railrush.app.identity;

/**
 * The caller, proven by a valid user token. Declare it as a controller parameter to require one.
 */
public record AuthenticatedUser(String userId) {}
