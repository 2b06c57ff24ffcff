package io.railrush.kit.cache;

/** Turns a cached value into text for the shared tier and back. Must round-trip exactly. */
public interface ValueCodec<V> {
  String encode(V value);

  V decode(String text);

  /** For values that already are text. */
  static ValueCodec<String> identity() {
    return new ValueCodec<>() {
      @Override
      public String encode(String value) {
        return value;
      }

      @Override
      public String decode(String text) {
        return text;
      }
    };
  }
}
