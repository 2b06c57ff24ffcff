package io.railrush.kit.seats.internal;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.railrush.kit.redis.RedisConnector;
import io.railrush.kit.seats.HoldResult;
import io.railrush.kit.seats.Holding;
import io.railrush.kit.seats.SeatLayout;
import io.railrush.kit.seats.SegmentInventory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The inventory in Redis. Per class (one hash tag): {@code meta} (legs and layout), {@code holders}
 * (holder → its holding) and one bitmap per leg, bit {@code i} set when seat {@code i} is sold on
 * that leg (a leg nobody bought yet has no key). A hold is one Lua script: it reads the bitmaps of
 * the journey's legs and of the leg either side, visits rows in order until it has seen {@value
 * SeatPicker#ROW_CHOICES} rows with room for the party (the bytes of the seats it visits are ORed
 * as it goes: a hold on a class with room early stops early), chooses the seats, sets P ×
 * journey-legs bits and records the holder — all or none, as one atomic step.
 */
public final class RedisSegmentInventory implements SegmentInventory {

  /**
   * KEYS: meta, holders, the bitmaps of legs lo … hi (lo = max(from − 1, 0), hi = min(to, legs −
   * 1)). ARGV: holder, from, to, passengers, preferred letters (a string, may be empty). Returns
   * {0, holding} held, {1} sold out, {2, holding} already held, {3} not loaded, {4} the journey
   * goes past the class's legs.
   */
  private static final String HOLD =
      """
      local meta = redis.call('HMGET', KEYS[1], 'legs', 'seats', 'letters', 'rows')
      if not meta[1] then return {3} end
      local legs, seats, letters, rows =
        tonumber(meta[1]), tonumber(meta[2]), meta[3], tonumber(meta[4])
      local from, to, wanted = tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
      if to > legs then return {4} end
      local held = redis.call('HGET', KEYS[2], ARGV[1])
      if held then return {2, held} end
      local prefs = ARGV[5]
      local lo = math.max(from - 1, 0)
      local function leg(i) return redis.call('GET', KEYS[3 + i - lo]) or '' end
      local journey = {}
      for i = from, to - 1 do journey[#journey + 1] = leg(i) end
      local before, after = nil, nil
      if from > 0 then before = leg(from - 1) end
      if to < legs then after = leg(to) end
      -- the journey's sold bits, one byte at a time, as the seats are visited
      local soldBytes = {}
      local function soldByte(k)
        local v = soldBytes[k]
        if v == nil then
          v = 0
          for _, s in ipairs(journey) do
            if k <= #s then v = bit.bor(v, string.byte(s, k)) end
          end
          soldBytes[k] = v
        end
        return v
      end
      local function taken(s, seat)
        local k = math.floor(seat / 8) + 1
        if k > #s then return false end
        return bit.band(string.byte(s, k), bit.rshift(128, seat % 8)) ~= 0
      end
      local perRow = #letters
      local nrows = math.ceil(seats / perRow)
      -- a row's free seats: {seat, loose (free neighbouring legs), letter}
      local rowCache = {}
      local function rowSeats(row)
        local r = rowCache[row]
        if r then return r end
        r = {}
        local first, last = row * perRow, math.min(seats, (row + 1) * perRow) - 1
        -- a row whose bytes are all sold is skipped without looking at its seats
        local full = true
        for k = math.floor(first / 8) + 1, math.floor(last / 8) + 1 do
          if soldByte(k) ~= 255 then full = false; break end
        end
        if full then rowCache[row] = r; return r end
        for seat = first, last do
          if bit.band(soldByte(math.floor(seat / 8) + 1), bit.rshift(128, seat % 8)) == 0 then
            local loose = 0
            if before and not taken(before, seat) then loose = loose + 1 end
            if after and not taken(after, seat) then loose = loose + 1 end
            local l = seat % perRow + 1
            r[#r + 1] = {seat, loose, string.sub(letters, l, l)}
          end
        end
        rowCache[row] = r
        return r
      end
      local function better(a, b)
        if a[2] ~= b[2] then return a[2] < b[2] end
        return a[1] < b[1]
      end
      -- the best `wanted` of candidates: preferred letters first, then tightest, then lowest
      local function pick(candidates)
        local chosen, used, unmet, loose = {}, {}, 0, 0
        for p = 1, #prefs do
          if #chosen == wanted then break end
          local letter, best = string.sub(prefs, p, p), nil
          for _, c in ipairs(candidates) do
            if c[3] == letter and not used[c[1]] and (best == nil or better(c, best)) then best = c end
          end
          if best then used[best[1]] = true; chosen[#chosen + 1] = best else unmet = unmet + 1 end
        end
        while #chosen < wanted do
          local best = nil
          for _, c in ipairs(candidates) do
            if not used[c[1]] and (best == nil or better(c, best)) then best = c end
          end
          used[best[1]] = true
          chosen[#chosen + 1] = best
        end
        for _, c in ipairs(chosen) do loose = loose + c[2] end
        return {seats = chosen, unmet = unmet, loose = loose}
      end
      local function beats(a, b)
        if b == nil then return true end
        if a.unmet ~= b.unmet then return a.unmet < b.unmet end
        return a.loose < b.loose
      end
      -- one row: the best of the first ROW_CHOICES rows with room (a perfect one ends the search)
      local best, choices = nil, 0
      for row = 0, nrows - 1 do
        local r = rowSeats(row)
        if #r >= wanted then
          local p = pick(r)
          if beats(p, best) then best = p end
          choices = choices + 1
          if choices >= ROW_CHOICES or (best.unmet == 0 and best.loose == 0) then break end
        end
      end
      if best == nil then
        -- no row has room: sold out unless enough seats are free across rows
        local free = 0
        for seat = 0, seats - 1 do
          if bit.band(soldByte(math.floor(seat / 8) + 1), bit.rshift(128, seat % 8)) == 0 then
            free = free + 1
          end
        end
        if free < wanted then return {1} end
      end
      -- else the fewest neighbouring rows (up to MAX_SPAN) of one carriage
      local span = 2
      while best == nil and span <= math.min(rows, MAX_SPAN) do
        choices = 0
        for first = 0, nrows - span do
          local last = first + span - 1
          if choices < ROW_CHOICES and math.floor(first / rows) == math.floor(last / rows) then
            local window = {}
            for row = first, last do
              for _, c in ipairs(rowSeats(row)) do window[#window + 1] = c end
            end
            if #window >= wanted then
              local p = pick(window)
              if beats(p, best) then best = p end
              choices = choices + 1
            end
          end
        end
        span = span + 1
      end
      -- else any free seats
      if best == nil then
        local all = {}
        for row = 0, nrows - 1 do
          for _, c in ipairs(rowSeats(row)) do all[#all + 1] = c end
        end
        best = pick(all)
      end
      local chosen = {}
      for _, c in ipairs(best.seats) do chosen[#chosen + 1] = c[1] end
      table.sort(chosen)
      for i = from, to - 1 do
        for _, seat in ipairs(chosen) do redis.call('SETBIT', KEYS[3 + i - lo], seat, 1) end
      end
      local holding = from .. ',' .. to .. ',' .. table.concat(chosen, ',')
      redis.call('HSET', KEYS[2], ARGV[1], holding)
      return {0, holding}
      """
          .replace("ROW_CHOICES", Integer.toString(SeatPicker.ROW_CHOICES))
          .replace("MAX_SPAN", Integer.toString(SeatPicker.MAX_SPAN));

  /**
   * KEYS: meta, holders, the bitmaps of the holding's legs. ARGV: holder, its holding as read. 1
   * when it was released; 0 when it no longer holds that.
   */
  private static final String RELEASE =
      """
      if redis.call('HGET', KEYS[2], ARGV[1]) ~= ARGV[2] then return 0 end
      redis.call('HDEL', KEYS[2], ARGV[1])
      local seats = {}
      for seat in string.gmatch(ARGV[2], '[^,]+') do seats[#seats + 1] = tonumber(seat) end
      for k = 3, #KEYS do
        for i = 3, #seats do redis.call('SETBIT', KEYS[k], seats[i], 0) end
      end
      return 1
      """;

  /**
   * KEYS: meta, holders, every leg's bitmap. ARGV: legs, seats, letters, rows, then holder and
   * holding pairs to record where the holder holds nothing yet.
   */
  private static final String RESTORE =
      """
      redis.call('HSET', KEYS[1], 'legs', ARGV[1], 'seats', ARGV[2], 'letters', ARGV[3], 'rows', ARGV[4])
      for i = 5, #ARGV, 2 do redis.call('HSETNX', KEYS[2], ARGV[i], ARGV[i + 1]) end
      for k = 3, #KEYS do redis.call('DEL', KEYS[k]) end
      local all = redis.call('HGETALL', KEYS[2])
      for h = 2, #all, 2 do
        local parts = {}
        for n in string.gmatch(all[h], '[^,]+') do parts[#parts + 1] = tonumber(n) end
        for leg = parts[1], parts[2] - 1 do
          for i = 3, #parts do redis.call('SETBIT', KEYS[3 + leg], parts[i], 1) end
        end
      end
      return 1
      """;

  /**
   * KEYS: meta, holders, the bitmaps of the journey's legs; ARGV: the journey's end. The seats
   * clear on all of them, −2 when the journey goes past the class's legs, or −1 when not loaded. (A
   * script because the bitmaps are bytes and the connection's codec is text.)
   */
  private static final String REMAINING =
      """
      local meta = redis.call('HMGET', KEYS[1], 'legs', 'seats')
      if not meta[1] then return -1 end
      if tonumber(ARGV[1]) > tonumber(meta[1]) then return -2 end
      local seats = tonumber(meta[2])
      local nbytes = math.ceil(seats / 8)
      local sold = {}
      for k = 1, nbytes do sold[k] = 0 end
      for i = 3, #KEYS do
        local s = redis.call('GET', KEYS[i]) or ''
        for k = 1, math.min(#s, nbytes) do sold[k] = bit.bor(sold[k], string.byte(s, k)) end
      end
      local free = 0
      for seat = 0, seats - 1 do
        if bit.band(sold[math.floor(seat / 8) + 1], bit.rshift(128, seat % 8)) == 0 then
          free = free + 1
        end
      end
      return free
      """;

  private static final HoldResult.Outcome[] OUTCOMES = {
    HoldResult.Outcome.HELD,
    HoldResult.Outcome.SOLD_OUT,
    HoldResult.Outcome.ALREADY_HELD,
    HoldResult.Outcome.NOT_LOADED
  };

  private final RedisConnector redis;
  private final String prefix;
  private final Map<String, String> shas = new ConcurrentHashMap<>();

  public RedisSegmentInventory(RedisConnector redis, String prefix) {
    this.redis = redis;
    this.prefix = prefix;
  }

  /**
   * Runs a script by its SHA-1 ({@code EVALSHA}), loading it the first time and again after the
   * server forgot it (a restart, {@code SCRIPT FLUSH}): the hold script is a few kilobytes that
   * {@code EVAL} would send and hash on every call.
   */
  private <T> T script(String body, ScriptOutputType type, String[] keys, String... args) {
    String sha = shas.computeIfAbsent(body, b -> redis.call(r -> r.scriptLoad(b)));
    try {
      return redis.call(r -> r.evalsha(sha, type, keys, args));
    } catch (RedisNoScriptException forgotten) {
      shas.put(body, redis.call(r -> r.scriptLoad(body)));
      return redis.call(r -> r.evalsha(shas.get(body), type, keys, args));
    }
  }

  private String tag(String key) {
    return prefix + "{" + key + "}";
  }

  /** meta, holders, then the bitmaps of legs {@code lo} to {@code hi} (inclusive). */
  private String[] keys(String key, int lo, int hi) {
    String tag = tag(key);
    String[] keys = new String[2 + Math.max(0, hi - lo + 1)];
    keys[0] = tag + ":meta";
    keys[1] = tag + ":holders";
    for (int leg = lo; leg <= hi; leg++) {
      keys[2 + leg - lo] = tag + ":leg:" + leg;
    }
    return keys;
  }

  @Override
  public void restore(String key, int legs, SeatLayout layout, Map<String, Holding> holdings) {
    SegmentInventory.checkHoldings(legs, layout, holdings);
    List<String> args = new ArrayList<>();
    args.add(Integer.toString(legs));
    args.add(Integer.toString(layout.seats()));
    args.add(layout.letters());
    args.add(Integer.toString(layout.rowsPerCarriage()));
    holdings.forEach(
        (holder, holding) -> {
          args.add(holder);
          args.add(holding.encode());
        });
    script(RESTORE, ScriptOutputType.INTEGER, keys(key, 0, legs - 1), args.toArray(String[]::new));
  }

  @Override
  public HoldResult hold(
      String key, String holder, int from, int to, int passengers, List<Character> preferences) {
    SegmentInventory.checkHold(from, to, passengers, preferences);
    StringBuilder letters = new StringBuilder();
    preferences.forEach(letters::append);
    List<Object> answer =
        script(
            HOLD,
            ScriptOutputType.MULTI,
            keys(key, Math.max(from - 1, 0), Math.min(to, MAX_LEGS - 1)),
            holder,
            Integer.toString(from),
            Integer.toString(to),
            Integer.toString(passengers),
            letters.toString());
    int code = ((Long) answer.get(0)).intValue();
    if (code == 4) {
      throw new IllegalArgumentException(
          "journey [" + from + ", " + to + ") past the class's legs");
    }
    HoldResult.Outcome outcome = OUTCOMES[code];
    return new HoldResult(
        outcome, answer.size() > 1 ? Holding.decode(answer.get(1).toString()) : null);
  }

  @Override
  public boolean release(String key, String holder) {
    String held = redis.call(r -> r.hget(tag(key) + ":holders", holder));
    if (held == null) {
      return false;
    }
    Holding holding = Holding.decode(held);
    Long released =
        script(
            RELEASE,
            ScriptOutputType.INTEGER,
            keys(key, holding.from(), holding.to() - 1),
            holder,
            held);
    return released != null && released == 1;
  }

  @Override
  public int remaining(String key, int from, int to) {
    if (from < 0 || to <= from || to > MAX_LEGS) {
      throw new IllegalArgumentException("journey [" + from + ", " + to + ")");
    }
    Long free =
        script(REMAINING, ScriptOutputType.INTEGER, keys(key, from, to - 1), Integer.toString(to));
    if (free == -2) {
      throw new IllegalArgumentException(
          "journey [" + from + ", " + to + ") past the class's legs");
    }
    return free.intValue();
  }

  @Override
  public Map<String, Holding> holdings(String key) {
    Map<String, Holding> holdings = new HashMap<>();
    redis
        .call(r -> r.hgetall(tag(key) + ":holders"))
        .forEach((holder, text) -> holdings.put(holder, Holding.decode(text)));
    return holdings;
  }
}
