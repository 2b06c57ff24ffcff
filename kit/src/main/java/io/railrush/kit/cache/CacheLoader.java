package io.railrush.kit.cache;

import java.util.Optional;

/**
 * Reads the source of truth (usually the database) for one key. An empty result means the key does
 * not exist; the guarded cache remembers that briefly so repeated lookups of a missing key do not
 * reach the source (cache penetration).
 */
@FunctionalInterface
public interface CacheLoader<K, V> {
  Optional<V> load(K key) throws Exception;
}
