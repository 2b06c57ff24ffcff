package io.railrush.app.identity;

/**
 * Either a user (a valid user token) or the admin (the admin token), for endpoints open to an owner
 * or an operator. Declare it as a controller parameter.
 */
public record Caller(String userId, boolean admin) {

  /** Whether this caller may see what {@code ownerId} owns. */
  public boolean mayRead(String ownerId) {
    return admin || ownerId.equals(userId);
  }
}
