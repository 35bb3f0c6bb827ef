-- ARGV: base, now, type, state, expire ms, dest: owned resources in state not updated for expire move to dest
local rtype, state, expire, dest = ARGV[3], ARGV[4], tonumber(ARGV[5]), ARGV[6]
local out = { 1 }
for _, name in ipairs(redis.call('ZRANGEBYSCORE', idx_key(rtype, state, 'owned'), '-inf', now - expire)) do
  local owner = redis.call('HGET', res_key(name), 'owner')
  out[#out + 1] = name
  out[#out + 1] = owner
  unown(name, rtype, state, owner, dest)
end
return out
