namespace Gateway.Proxy.Counters.Redis;

/// <summary>
/// The two Lua scripts behind <see cref="RedisAdmissionCounters"/>. Redis runs a script
/// atomically, so a reservation across all of a request's counters is all or nothing, and each
/// call is one round trip (EVALSHA once the script is loaded). Times are the calling proxy's
/// clock in Unix milliseconds; amounts travel as decimal strings and are added with
/// <c>INCRBY</c> (exact 64-bit integers); comparisons run on Lua numbers (doubles, exact below
/// 2⁵³, which is why limits are clamped there).
/// </summary>
internal static class RedisScripts
{
    /// <summary>Arguments before the first check's.</summary>
    public const int ReserveHeader = 6;

    /// <summary>Arguments per check.</summary>
    public const int ReserveStride = 5;

    /// <summary>Arguments per operation of <see cref="Apply"/>.</summary>
    public const int ApplyStride = 4;

    /// <summary>
    /// KEYS: one per check (a window counter <c>{prefix}{key}:{window start, Unix s}</c>, or a
    /// concurrency lease set <c>{prefix}{key}</c>). ARGV: now (ms), lease member, lease expiry
    /// score (ms), lease-set TTL (ms), min units, max units; then per check: <c>1</c> for a lease
    /// set else <c>0</c>, limit, fixed amount, amount per unit, window key TTL (ms).
    /// Returns <c>{admitted, units, denied index or -1, value of each counter after}</c>.
    /// </summary>
    public const string Reserve = """
        local now = tonumber(ARGV[1])
        local minUnits = tonumber(ARGV[5])
        local units = tonumber(ARGV[6])
        local n = #KEYS
        local values = {}
        local denied = -1
        local limiting = -1
        for i = 1, n do
          local a = 6 + (i - 1) * 5
          local v
          if ARGV[a + 1] == '1' then
            redis.call('ZREMRANGEBYSCORE', KEYS[i], '-inf', now)
            v = redis.call('ZCARD', KEYS[i])
          else
            v = tonumber(redis.call('GET', KEYS[i]) or '0')
          end
          values[i] = v
          if denied < 0 then
            local available = tonumber(ARGV[a + 2]) - v - tonumber(ARGV[a + 3])
            if available < 0 then
              denied = i - 1
            else
              local per = tonumber(ARGV[a + 4])
              if per > 0 then
                local fit = math.floor(available / per)
                if fit < units then
                  units = fit
                  limiting = i - 1
                end
              end
            end
          end
        end
        if denied < 0 and units < minUnits then denied = limiting end
        local admitted = 0
        if denied < 0 then admitted = 1 else units = 0 end
        local result = {admitted, units, denied}
        for i = 1, n do
          local a = 6 + (i - 1) * 5
          if admitted == 1 then
            if ARGV[a + 1] == '1' then
              redis.call('ZADD', KEYS[i], ARGV[3], ARGV[2])
              redis.call('PEXPIRE', KEYS[i], ARGV[4])
              values[i] = values[i] + 1
            else
              local amount = tonumber(ARGV[a + 3]) + tonumber(ARGV[a + 4]) * units
              redis.call('INCRBY', KEYS[i], string.format('%d', amount))
              redis.call('PEXPIRE', KEYS[i], ARGV[a + 5])
              values[i] = values[i] + amount
            end
          end
          result[3 + i] = values[i]
        end
        return result
        """;

    /// <summary>
    /// Settlements, releases, adjustments and lease renewals, any number in one call. KEYS: one
    /// per operation. ARGV per operation: the op, an amount or score, a TTL (ms), a lease member.
    /// Ops: <c>z</c> remove the lease member; <c>a</c> add the amount to the key if it exists, never
    /// below zero; <c>c</c> add the amount, creating the key, and set its TTL; <c>r</c> renew an
    /// existing lease member's expiry score and the set's TTL. Returns the number of operations.
    /// </summary>
    public const string Apply = """
        local n = #KEYS
        for i = 1, n do
          local a = (i - 1) * 4
          local op = ARGV[a + 1]
          local key = KEYS[i]
          if op == 'z' then
            redis.call('ZREM', key, ARGV[a + 4])
          elseif op == 'a' then
            if redis.call('EXISTS', key) == 1 then
              local v = redis.call('INCRBY', key, ARGV[a + 2])
              if v < 0 then redis.call('INCRBY', key, string.format('%d', -v)) end
            end
          elseif op == 'c' then
            redis.call('INCRBY', key, ARGV[a + 2])
            redis.call('PEXPIRE', key, ARGV[a + 3])
          elseif op == 'r' then
            if redis.call('ZADD', key, 'XX', 'CH', ARGV[a + 2], ARGV[a + 4]) == 1 then
              redis.call('PEXPIRE', key, ARGV[a + 3])
            end
          end
        end
        return n
        """;
}
