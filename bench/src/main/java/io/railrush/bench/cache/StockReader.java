package io.railrush.bench.cache;

/** One node's way of answering "how many seats are left" through some cache. */
interface StockReader extends AutoCloseable {
  long remaining(String runId);

  @Override
  default void close() {}
}
