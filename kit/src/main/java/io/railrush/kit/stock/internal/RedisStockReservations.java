package io.railrush.kit.stock.internal;

import io.lettuce.core.ScriptOutputType;
import io.railrush.kit.redis.RedisConnector;
import io.railrush.kit.stock.ReserveResult;
import io.railrush.kit.stock.ReserveResult.Outcome;
import io.railrush.kit.stock.StockReservations;
import java.util.List;
import java.util.Map;

/**
 * One Lua script per reservation: holder check, stock check, decrement and holder record happen
 * together or not at all. Keys of one run share a hash tag (Redis Cluster).
 */
public final class RedisStockReservations implements StockReservations {

  // KEYS stock, holders; ARGV user, order. Returns {code, orderNo or '', remaining}.
  private static final String RESERVE =
      """
      local left = redis.call('GET', KEYS[1])
      if not left then return {3, '', -1} end
      local held = redis.call('HGET', KEYS[2], ARGV[1])
      if held then return {2, held, tonumber(left)} end
      if tonumber(left) <= 0 then return {1, '', 0} end
      local now = redis.call('DECR', KEYS[1])
      redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
      return {0, ARGV[2], now}
      """;

  // KEYS stock, holders; ARGV seats, then user/order pairs to record where the user holds nothing
  private static final String RESTORE =
      """
      for i = 2, #ARGV, 2 do redis.call('HSETNX', KEYS[2], ARGV[i], ARGV[i + 1]) end
      redis.call('SET', KEYS[1], math.max(0, tonumber(ARGV[1]) - redis.call('HLEN', KEYS[2])))
      return 1
      """;

  private static final String RELEASE =
      """
      if redis.call('HGET', KEYS[2], ARGV[1]) ~= ARGV[2] then return 0 end
      redis.call('HDEL', KEYS[2], ARGV[1])
      -- a counter evicted or lost is re-seeded from the database, never conjured up with one seat
      if redis.call('EXISTS', KEYS[1]) == 1 then redis.call('INCR', KEYS[1]) end
      return 1
      """;

  private static final Outcome[] OUTCOMES = {
    Outcome.RESERVED, Outcome.SOLD_OUT, Outcome.ALREADY_HOLDING, Outcome.NOT_LOADED
  };

  private final RedisConnector redis;
  private final String prefix;

  public RedisStockReservations(RedisConnector redis, String prefix) {
    this.redis = redis;
    this.prefix = prefix;
  }

  private String[] keys(String runId) {
    String tag = prefix + "{" + runId + "}";
    return new String[] {tag + ":stock", tag + ":holders"};
  }

  @Override
  public void restore(String runId, long seats, Map<String, String> holders) {
    String[] args = new String[1 + holders.size() * 2];
    args[0] = Long.toString(seats);
    int i = 1;
    for (Map.Entry<String, String> holder : holders.entrySet()) {
      args[i++] = holder.getKey();
      args[i++] = holder.getValue();
    }
    redis.run(r -> r.eval(RESTORE, ScriptOutputType.INTEGER, keys(runId), args));
  }

  @Override
  public Map<String, String> holders(String runId) {
    return redis.call(r -> r.hgetall(keys(runId)[1]));
  }

  @Override
  public ReserveResult reserve(String runId, String userId, String orderNo) {
    List<Object> answer =
        redis.call(r -> r.eval(RESERVE, ScriptOutputType.MULTI, keys(runId), userId, orderNo));
    String held = answer.get(1).toString();
    return new ReserveResult(
        OUTCOMES[((Long) answer.get(0)).intValue()],
        held.isEmpty() ? null : held,
        (Long) answer.get(2));
  }

  @Override
  public boolean release(String runId, String userId, String orderNo) {
    Long released =
        redis.call(r -> r.eval(RELEASE, ScriptOutputType.INTEGER, keys(runId), userId, orderNo));
    return released != null && released == 1;
  }

  @Override
  public long remaining(String runId) {
    String left = redis.call(r -> r.get(keys(runId)[0]));
    return left == null ? -1 : Long.parseLong(left);
  }
}
