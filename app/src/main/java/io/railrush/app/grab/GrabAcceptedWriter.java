package io.railrush.app.grab;

import java.util.List;

/**
 * Writes accepted grabs as orders (implemented by the order feature). Called with batches; joins
 * the caller's transaction if there is one, else runs its own. Must be idempotent: a grab already
 * written is skipped.
 */
public interface GrabAcceptedWriter {

  void write(List<GrabAccepted> batch);
}
