package io.railrush.app.identity;

/**
 * Proof that the caller presented the admin token. Declare it as a controller parameter to require
 * it.
 */
public record AdminAccess() {}
