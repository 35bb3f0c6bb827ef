-- ARGV: base, now, type, initial state, min, max, lifespan ms ('' for none)
local rtype = ARGV[3]
redis.call('HSET', drlc_key(rtype), 'state', ARGV[4], 'min', ARGV[5], 'max', ARGV[6], 'lifespan', ARGV[7])
redis.call('SADD', drlcs_key, rtype)
return { 1 }
