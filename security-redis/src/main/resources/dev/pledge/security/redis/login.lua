-- Pledge login throttle: one atomic step on an account's and a source's consecutive failures, on
-- Redis's clock. KEYS[1] the account's hash, KEYS[2] the source's (fields n: failures, t: the last
-- failure in microseconds of Redis time); for fail, KEYS[3] the request's id key. ARGV[1] the
-- operation: fail | read | clear | clear1; ARGV[2] for fail: how long failures are remembered, in
-- milliseconds; ARGV[3] for fail: how long the request id is remembered, in milliseconds. A fail whose
-- request id is already recorded (the client sent it again) only reads: each failure counts once.
-- Returns {account failures, microseconds since its last failure, source failures, microseconds since}.
local t = redis.call('TIME')
-- kept as text: Lua would print a 16-digit number in exponent form and lose its last digits
local nowText = t[1] .. string.format('%06d', tonumber(t[2]))
local now = tonumber(nowText)
local op = ARGV[1]
local n_keys = #KEYS
if op == 'fail' and n_keys == 3 then
  n_keys = 2
  if not redis.call('SET', KEYS[3], '1', 'NX', 'PX', ARGV[3]) then
    op = 'read'
  end
end
local out = {}
for i = 1, n_keys do
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
