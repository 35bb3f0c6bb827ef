-- ARGV: base, now, name, type, initial state, dynamic ('1' or '')
local name, rtype, state, dynamic = ARGV[3], ARGV[4], ARGV[5], ARGV[6]
local h = redis.call('HMGET', res_key(name), 'type', 'removed')
if h[1] then
  if h[1] ~= rtype then return { 1, 'conflict', h[1] } end
  if h[2] == '1' then
    redis.call('HDEL', res_key(name), 'removed')
    return { 1, 'kept' }
  end
  return { 1, 'exists' }
end
create(name, rtype, state, dynamic == '1')
return { 1, 'created' }
