-- Pledge GCRA over several limits on one key, atomically, on Redis's own clock.
-- KEYS[i]: the TAT of limit i (microseconds since the epoch, by Redis TIME).
-- ARGV[1]: weight; ARGV[2i], ARGV[2i+1]: emission interval and tolerance of limit i, in microseconds.
-- Every value stays below 2^53, so Lua's doubles hold them exactly.
-- Returns {allowed (0/1), remaining, retry-after us, reset-after us}.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local weight = tonumber(ARGV[1])
local n = #KEYS
local ahead = {}
local allowed = 1
local retry = 0
for i = 1, n do
  local interval = tonumber(ARGV[2 * i])
  local tol = tonumber(ARGV[2 * i + 1])
  local tat = tonumber(redis.call('GET', KEYS[i]) or now)
  local a = tat - now
  if a < 0 then a = 0 end
  ahead[i] = a
  local nxt = a + weight * interval
  if nxt > tol then
    allowed = 0
    if nxt - tol > retry then retry = nxt - tol end
  end
end
local remaining = -1
local reset = 0
for i = 1, n do
  local interval = tonumber(ARGV[2 * i])
  local tol = tonumber(ARGV[2 * i + 1])
  local a = ahead[i]
  if allowed == 1 then
    a = a + weight * interval
    redis.call('SET', KEYS[i], string.format('%.0f', now + a), 'PX', math.floor(a / 1000) + 1)
  end
  local room = math.floor((tol - a) / interval)
  if room < 0 then room = 0 end
  if remaining < 0 or room < remaining then remaining = room end
  if a > reset then reset = a end
end
if allowed == 1 and remaining == 0 then
  for i = 1, n do
    local interval = tonumber(ARGV[2 * i])
    local tol = tonumber(ARGV[2 * i + 1])
    local r = ahead[i] + (weight + 1) * interval - tol
    if r > retry then retry = r end
  end
end
return {allowed, remaining, retry, reset}
