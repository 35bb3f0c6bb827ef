-- ARGV: base, now, name, owner, state, then userdata pairs key, value ('' deletes the key)
local name, owner, state = ARGV[3], ARGV[4], ARGV[5]
local h = redis.call('HMGET', res_key(name), 'type', 'state', 'owner')
if not h[1] then return { 0, 'resource-not-found', name } end
if h[3] ~= owner then return { 0, 'owner-mismatch', owner, h[3] } end
if h[2] ~= state then return { 0, 'state-mismatch', h[2], state } end
for i = 6, #ARGV - 1, 2 do
  if ARGV[i + 1] == '' then
    redis.call('HDEL', ud_key(name), ARGV[i])
  else
    redis.call('HSET', ud_key(name), ARGV[i], ARGV[i + 1])
  end
end
redis.call('HSET', res_key(name), 'lastupdate', now)
redis.call('ZADD', idx_key(h[1], state, owner), now, name)
return { 1 }
