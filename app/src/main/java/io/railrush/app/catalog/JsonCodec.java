package io.railrush.app.catalog;

import io.railrush.kit.cache.ValueCodec;
import tools.jackson.databind.ObjectMapper;

/** Cached values as JSON in the shared tier. */
record JsonCodec<V>(ObjectMapper json, Class<V> type) implements ValueCodec<V> {

  @Override
  public String encode(V value) {
    return json.writeValueAsString(value);
  }

  @Override
  public V decode(String text) {
    return json.readValue(text, type);
  }
}
