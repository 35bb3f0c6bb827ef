-- ARGV: base, now, type
local rtype = ARGV[3]
local current = redis.call('HGETALL', count_key(rtype))
local owners = redis.call('HGETALL', owners_key(rtype))
if #current == 0 and #owners == 0 then return { 0, 'resource-not-found', rtype } end
return { 1, current, owners }
