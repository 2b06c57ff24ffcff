package io.railrush.bench.seats;

import io.lettuce.core.ScriptOutputType;
import io.railrush.kit.redis.RedisConnector;

/**
 * BASELINE, not Railrush's design: the per-pair-counter inventory of a well-known open-source 12306
 * clone, rebuilt here to be measured beside the kit's. One Redis hash per run and class with a
 * counter of remaining seats per (from, to) pair of stops; a sale of P tickets over {@code [a, b)}
 * checks its own pair and subtracts P from every pair that overlaps it; a cancel adds P back to
 * every overlapping pair. No seat numbers: seats are chosen later, elsewhere.
 */
final class PerPairCounters {

  /** KEYS: the pairs hash. ARGV: stops, from, to, passengers. 1 sold, 0 sold out. */
  private static final String SELL =
      """
      local stops, a, b, p = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
      local left = tonumber(redis.call('HGET', KEYS[1], a .. ',' .. b) or '0')
      if left < p then return 0 end
      for i = 0, b - 1 do
        for j = math.max(i + 1, a + 1), stops - 1 do
          redis.call('HINCRBY', KEYS[1], i .. ',' .. j, -p)
        end
      end
      return 1
      """;

  /** KEYS: the pairs hash. ARGV: stops, from, to, passengers. */
  private static final String CANCEL =
      """
      local stops, a, b, p = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
      for i = 0, b - 1 do
        for j = math.max(i + 1, a + 1), stops - 1 do
          redis.call('HINCRBY', KEYS[1], i .. ',' .. j, p)
        end
      end
      return 1
      """;

  private final RedisConnector redis;
  private final String key;
  private final int stops;

  PerPairCounters(RedisConnector redis, String key, int stops, int seats) {
    this.redis = redis;
    this.key = key;
    this.stops = stops;
    redis.run(r -> r.del(key));
    for (int i = 0; i < stops; i++) {
      for (int j = i + 1; j < stops; j++) {
        String pair = i + "," + j;
        redis.run(r -> r.hset(key, pair, Integer.toString(seats)));
      }
    }
  }

  boolean sell(int from, int to, int passengers) {
    return run(SELL, from, to, passengers) == 1;
  }

  void cancel(int from, int to, int passengers) {
    run(CANCEL, from, to, passengers);
  }

  private long run(String script, int from, int to, int passengers) {
    return redis.call(
        r ->
            r.<Long>eval(
                script,
                ScriptOutputType.INTEGER,
                new String[] {key},
                Integer.toString(stops),
                Integer.toString(from),
                Integer.toString(to),
                Integer.toString(passengers)));
  }

  int remaining(int from, int to) {
    return Integer.parseInt(redis.call(r -> r.hget(key, from + "," + to)));
  }
}
