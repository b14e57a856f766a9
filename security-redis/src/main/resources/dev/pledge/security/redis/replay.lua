-- Pledge TOTP replay guard: KEYS[1] an account's last used time step; ARGV[1] the step now offered,
-- ARGV[2] how long to remember it in milliseconds (the verification window: once it has passed, no
-- step at or before it can be offered again). Returns 1 and records the step when it is later than the
-- last used one; 0 and changes nothing otherwise. Steps are compared as integers in text form.
local last = redis.call('GET', KEYS[1])
local step = ARGV[1]
if last then
  if #last > #step or (#last == #step and last >= step) then
    return 0
  end
end
redis.call('SET', KEYS[1], step, 'PX', ARGV[2])
return 1
