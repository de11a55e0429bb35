// The Lua scripts of the Redis limits store. Each runs atomically in Redis, so an acquire reads the
// windows, the pauses and the queue, and counts, with no other process in between.
//
// Time is Redis's own (TIME), so machines with skewed clocks agree on window boundaries. It is
// "store time": TIME in ms, scaled for sandboxes on accelerated clocks (start + (TIME − realStart)
// × scale; 1, 0, 0 in production). Key expiries are in real ms.
//
// Fairness across processes: every process waiting for one combination of buckets holds a ticket
// in that combination's queue (a sorted set by arrival). While the queue is not empty only its
// first ticket may take room; a process that takes room leaves the queue and publishes the next
// ticket's name, so exactly that process wakes. The first ticket waits on its own timer for the
// time the script says room appears (a window start, a pause's end); the others wait for their
// name, with a slow fallback check. A ticket that is not refreshed expires: a dead process leaves
// the queue by itself.
import { script } from "./connection.js";

/** The name of the in-flight limiter's one queue. */
export const SLOTS = "slots";

/** Shared by the scripts: store time, and the queue of one combination. */
const PRELUDE = `
local t = redis.call('TIME')
local real = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local now = math.floor(tonumber(ARGV[1]) + (real - tonumber(ARGV[2])) * tonumber(ARGV[3]))
local base = KEYS[1]
local ticket = ARGV[4]
local q = base .. ':q:' .. ARGV[5]
local qa = q .. ':alive'
local ttl = tonumber(ARGV[6])
local dead = redis.call('ZRANGEBYSCORE', qa, '-inf', real, 'LIMIT', 0, 100)
for _, d in ipairs(dead) do
  redis.call('ZREM', q, d)
  redis.call('ZREM', qa, d)
end
local function enqueue()
  if not redis.call('ZSCORE', q, ticket) then
    redis.call('ZADD', q, redis.call('INCR', base .. ':seq'), ticket)
  end
  redis.call('ZADD', qa, real + ttl, ticket)
  redis.call('PEXPIRE', q, ttl * 2)
  redis.call('PEXPIRE', qa, ttl * 2)
end
local function leave()
  redis.call('ZREM', q, ticket)
  redis.call('ZREM', qa, ticket)
  local nextTicket = redis.call('ZRANGE', q, 0, 0)[1]
  if nextTicket then redis.call('PUBLISH', base .. ':wake', nextTicket) end
end
local head = redis.call('ZRANGE', q, 0, 0)[1]
local behind = head and head ~= ticket
`;

/**
 * Windows (HubRise, Hike). ARGV: start, realStart, scale, ticket, combination, ticketTtl, guard,
 * bucket count, then per bucket: name, rule count, then per rule: size, limit, rolling (1/0).
 * Returns {wait, now}: wait 0 = granted and counted; > 0 = store ms until room (first in line);
 * -1 = queued behind another process (wait for the wake message).
 */
export const ACQUIRE_WINDOWS = script(`${PRELUDE}
if behind then
  enqueue()
  return {-1, now}
end
local guard = tonumber(ARGV[7])
local rules = {}
local i = 9
local at = now
for b = 1, tonumber(ARGV[8]) do
  local bucket = ARGV[i]
  local n = tonumber(ARGV[i + 1])
  i = i + 2
  local paused = tonumber(redis.call('GET', base .. ':pause:' .. bucket) or '0')
  if paused > at then at = paused end
  for r = 1, n do
    local size, limit, rolling = tonumber(ARGV[i]), tonumber(ARGV[i + 1]), ARGV[i + 2] == '1'
    i = i + 3
    local key = base .. ':w:' .. bucket .. ':' .. size
    if rolling then
      redis.call('ZREMRANGEBYSCORE', key, '-inf', now - size - guard)
      local count = redis.call('ZCARD', key)
      if count >= limit then
        local oldest = redis.call('ZRANGE', key, count - limit, count - limit, 'WITHSCORES')
        local free = tonumber(oldest[2]) + size + guard
        if free > at then at = free end
      end
    else
      local first = math.floor((now - guard) / size)
      local last = math.floor((now + guard) / size)
      for w = last, first, -1 do
        if tonumber(redis.call('GET', key .. ':' .. w) or '0') >= limit then
          local free = (w + 1) * size + guard
          if free > at then at = free end
          break
        end
      end
    end
    rules[#rules + 1] = {key, size, rolling}
  end
end
if at > now then
  enqueue()
  return {at - now, now}
end
local scale = tonumber(ARGV[3])
for _, rule in ipairs(rules) do
  local key, size, rolling = rule[1], rule[2], rule[3]
  if rolling then
    redis.call('ZADD', key, now, ticket .. ':' .. redis.call('INCR', base .. ':seq'))
    redis.call('PEXPIRE', key, math.ceil((size + guard) / scale) + 1000)
  else
    for w = math.floor((now - guard) / size), math.floor((now + guard) / size) do
      redis.call('INCR', key .. ':' .. w)
      redis.call('PEXPIRE', key .. ':' .. w, math.ceil(((w + 1) * size + guard - now) / scale) + 1000)
    end
  end
end
leave()
return {0, now}
`);

/** Pauses a bucket for everyone. ARGV: start, realStart, scale, bucket, delay (store ms). */
export const PAUSE = script(`
local t = redis.call('TIME')
local real = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local now = math.floor(tonumber(ARGV[1]) + (real - tonumber(ARGV[2])) * tonumber(ARGV[3]))
local key = KEYS[1] .. ':pause:' .. ARGV[4]
local delay = tonumber(ARGV[5])
local untilAt = now + delay
local current = tonumber(redis.call('GET', key) or '0')
if untilAt > current then
  redis.call('SET', key, untilAt, 'PX', math.ceil(delay / tonumber(ARGV[3])) + 1000)
end
return now
`);

/**
 * The calendar month (UTC) of store time, as 'YYYY-MM' (Howard Hinnant's civil_from_days: Redis's
 * Lua has no date functions).
 */
const MONTH_OF_NOW = `
local function monthOf(ms)
  local z = math.floor(ms / 86400000) + 719468
  local era = math.floor(z / 146097)
  local doe = z - era * 146097
  local yoe = math.floor((doe - math.floor(doe / 1460) + math.floor(doe / 36524) - math.floor(doe / 146096)) / 365)
  local y = yoe + era * 400
  local doy = doe - (365 * yoe + math.floor(yoe / 4) - math.floor(yoe / 100))
  local mp = math.floor((5 * doy + 2) / 153)
  local m = mp < 10 and mp + 3 or mp - 9
  if m <= 2 then y = y + 1 end
  return string.format('%04d-%02d', y, m)
end
local month = monthOf(now)
`;

/**
 * An in-flight slot (Hiboutik). ARGV: start, realStart, scale, ticket, combination, ticketTtl,
 * lease id, max, lease ms (real), calls a month (0 = not counted).
 * Returns {wait, now}: 0 = granted (lease taken, month counted); > 0 = real ms until the first
 * lease expires (first in line: a release or the wake message may come sooner); -1 = queued behind
 * another process; -2 = the month's quota is spent (nothing taken).
 */
export const ACQUIRE_LEASE = script(`${PRELUDE}${MONTH_OF_NOW}
local leases = base .. ':leases'
local monthKey = base .. ':month:' .. month
local perMonth = tonumber(ARGV[10])
if redis.call('GET', base .. ':spent') == month
   or (perMonth > 0 and tonumber(redis.call('GET', monthKey) or '0') >= perMonth) then
  if behind then
    redis.call('ZREM', q, ticket)
    redis.call('ZREM', qa, ticket)
  else
    leave()
  end
  return {-2, now}
end
if behind then
  enqueue()
  return {-1, now}
end
redis.call('ZREMRANGEBYSCORE', leases, '-inf', real)
if redis.call('ZCARD', leases) >= tonumber(ARGV[8]) then
  enqueue()
  local first = redis.call('ZRANGE', leases, 0, 0, 'WITHSCORES')
  return {math.max(1, tonumber(first[2]) - real), now}
end
local leaseMs = tonumber(ARGV[9])
redis.call('ZADD', leases, real + leaseMs, ARGV[7])
redis.call('PEXPIRE', leases, leaseMs * 2)
redis.call('INCR', monthKey)
redis.call('PEXPIRE', monthKey, 32 * 86400000)
leave()
return {0, now}
`);

/** Gives slots back. ARGV: lease ids. Wakes the first process waiting for a slot. */
export const RELEASE_LEASES = script(`
local base = KEYS[1]
for _, id in ipairs(ARGV) do redis.call('ZREM', base .. ':leases', id) end
local nextTicket = redis.call('ZRANGE', base .. ':q:${SLOTS}', 0, 0)[1]
if nextTicket then redis.call('PUBLISH', base .. ':wake', nextTicket) end
return 1
`);

/** Keeps held leases alive. ARGV: lease ms (real), then lease ids. */
export const RENEW_LEASES = script(`
local t = redis.call('TIME')
local real = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local leases = KEYS[1] .. ':leases'
local expiry = real + tonumber(ARGV[1])
for i = 2, #ARGV do redis.call('ZADD', leases, 'XX', expiry, ARGV[i]) end
redis.call('PEXPIRE', leases, tonumber(ARGV[1]) * 2)
return 1
`);

/** The vendor says the period's quota is spent: every process stops until the month ends. ARGV as PAUSE. */
export const QUOTA_SPENT = script(`
local t = redis.call('TIME')
local real = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local now = math.floor(tonumber(ARGV[1]) + (real - tonumber(ARGV[2])) * tonumber(ARGV[3]))
${MONTH_OF_NOW}
redis.call('SET', KEYS[1] .. ':spent', month, 'PX', 32 * 86400000)
return now
`);

/** A process stops waiting (its waiters were aborted): its ticket leaves, the next one is woken. ARGV as the prelude. */
export const LEAVE_QUEUE = script(`${PRELUDE}
leave()
return 1
`);
