package io.railrush.kit.filter;

import com.google.common.hash.BloomFilter;
import com.google.common.hash.Funnels;
import java.nio.charset.StandardCharsets;
import java.util.Collection;

/**
 * A Bloom filter of the ids that exist, swapped whole on rebuild. {@link #mightContain} never
 * answers false for an id passed to {@link #rebuild} or {@link #add} (no false negatives), and
 * answers true for an unknown id with probability about {@code falsePositiveRate}.
 */
public final class KnownIds {

  /** One in a million: 100,000 lookups of unknown ids let through about 0.1 on average. */
  public static final double DEFAULT_FALSE_POSITIVE_RATE = 1e-6;

  private final double falsePositiveRate;
  private volatile BloomFilter<CharSequence> filter;
  private volatile int builtFrom;

  public KnownIds(double falsePositiveRate) {
    this.falsePositiveRate = falsePositiveRate;
    this.filter = newFilter(0);
  }

  /** Replaces the filter by one built from exactly {@code ids} (plus room to grow). */
  public void rebuild(Collection<String> ids) {
    BloomFilter<CharSequence> next = newFilter(ids.size());
    ids.forEach(next::put);
    filter = next;
    builtFrom = ids.size();
  }

  /** Adds one id, e.g. right after it was created, before the next rebuild. */
  public void add(String id) {
    filter.put(id);
  }

  public boolean mightContain(String id) {
    return filter.mightContain(id);
  }

  /** How many ids the current filter was built from. */
  public int builtFrom() {
    return builtFrom;
  }

  private BloomFilter<CharSequence> newFilter(int ids) {
    // Twice the ids, at least 10k: new ids added between rebuilds keep the false-positive rate.
    int capacity = Math.max(10_000, ids * 2);
    return BloomFilter.create(
        Funnels.stringFunnel(StandardCharsets.UTF_8), capacity, falsePositiveRate);
  }
}
