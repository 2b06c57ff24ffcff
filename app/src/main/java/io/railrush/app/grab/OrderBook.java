package io.railrush.app.grab;

import java.util.Map;

/** What the grab feature needs to know of written orders (implemented by the order feature). */
public interface OrderBook {

  /** user → order number, for every order of the run that holds a seat (CREATED or PAID). */
  Map<String, String> activeHolders(String runId);
}
