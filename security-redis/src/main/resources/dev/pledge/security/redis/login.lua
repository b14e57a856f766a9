-- Pledge login throttle: one atomic step on an account's and a source's consecutive failures, on
-- Redis's clock. KEYS[1] the account's hash, KEYS[2] the source's (fields n: failures, t: the last
-- failure in microseconds of Redis time). ARGV[1] the operation: fail | read | clear | clear1;
-- ARGV[2] for fail: how long failures are remembered, in milliseconds.
-- Returns {account failures, microseconds since its last failure, source failures, microseconds since}.
local t = redis.call('TIME')
-- kept as text: Lua would print a 16-digit number in exponent form and lose its last digits
local nowText = t[1] .. string.format('%06d', tonumber(t[2]))
local now = tonumber(nowText)
local op = ARGV[1]
local out = {}
for i = 1, #KEYS do
  local v = redis.call('HMGET', KEYS[i], 'n', 't')
  local n = tonumber(v[1]) or 0
  local last = tonumber(v[2]) or now
  if op == 'fail' then
    n = n + 1
    last = now
    redis.call('HSET', KEYS[i], 'n', n, 't', nowText)
    redis.call('PEXPIRE', KEYS[i], ARGV[2])
  elseif op == 'clear' or op == 'clear1' then
    redis.call('DEL', KEYS[i])
  end
  out[#out + 1] = n
  out[#out + 1] = math.max(0, now - last)
end
return out
