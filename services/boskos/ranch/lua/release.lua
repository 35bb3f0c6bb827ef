-- ARGV: base, now, name, dest, owner
local name, dest, owner = ARGV[3], ARGV[4], ARGV[5]
local h = redis.call('HMGET', res_key(name), 'type', 'state', 'owner', 'lastowner')
if not h[1] then return { 0, 'resource-not-found', name } end
local rtype, state, current = h[1], h[2], h[3]
if current ~= owner then
  -- The same release again (its first answer was lost): done already.
  if current == '' and h[4] == owner and state == dest then return { 1, 'again' } end
  return { 0, 'owner-mismatch', owner, current }
end
if not unown(name, rtype, state, owner, dest) then return { 1, 'removed' } end
redis.call('HSET', res_key(name), 'lastowner', owner)
local lifespan = redis.call('HGET', drlc_key(rtype), 'lifespan')
if lifespan then
  if lifespan ~= '' then redis.call('HSET', res_key(name), 'expiration', now + tonumber(lifespan)) end
else
  redis.call('HDEL', res_key(name), 'expiration')
end
return { 1, 'released' }
