package io.railrush.kit.cache.internal;

import io.railrush.kit.cache.ValueCodec;

/**
 * The text form of a {@link CacheEntry} in the shared tier: {@code 1;loadedAt;freshUntil;loadMs;}
 * then {@code -} for a missing key or {@code +} and the encoded value. Timestamps travel with the
 * value so every node agrees on its logical expiry.
 */
public final class EntryFormat<V> {

  private static final String VERSION = "1";

  private final ValueCodec<V> codec;

  public EntryFormat(ValueCodec<V> codec) {
    this.codec = codec;
  }

  public String write(CacheEntry<V> entry) {
    StringBuilder text =
        new StringBuilder(64)
            .append(VERSION)
            .append(';')
            .append(entry.loadedAtMillis())
            .append(';')
            .append(entry.freshUntilMillis())
            .append(';')
            .append(entry.loadMillis())
            .append(';');
    return entry.value() == null
        ? text.append('-').toString()
        : text.append('+').append(codec.encode(entry.value())).toString();
  }

  /** The entry, or {@code null} for text this version cannot read (treated as a miss). */
  public CacheEntry<V> read(String text) {
    if (text == null) {
      return null;
    }
    String[] head = text.split(";", 5);
    if (head.length != 5 || !VERSION.equals(head[0]) || head[4].isEmpty()) {
      return null;
    }
    long loadedAt = Long.parseLong(head[1]);
    long freshUntil = Long.parseLong(head[2]);
    long loadMillis = Long.parseLong(head[3]);
    V value = head[4].charAt(0) == '+' ? codec.decode(head[4].substring(1)) : null;
    return new CacheEntry<>(value, loadedAt, freshUntil, loadMillis);
  }
}
