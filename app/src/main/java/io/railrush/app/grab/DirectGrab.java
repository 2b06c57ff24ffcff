package io.railrush.app.grab;

/**
 * The {@code db-direct} baseline (the seed's 3.3 flow, implemented by the order feature): one
 * database transaction per request — conditional {@code sold < seats} update and order insert.
 */
public interface DirectGrab {

  GrabOutcome grab(GrabAccepted request);
}
