-- ARGV: base, now, name: a static resource the config no longer lists leaves now, or when its holder lets go
local name = ARGV[3]
local h = redis.call('HMGET', res_key(name), 'type', 'state', 'owner')
if not h[1] then return { 1, 'gone' } end
if h[3] == '' then
  drop(name, h[1], h[2], '')
  return { 1, 'deleted' }
end
redis.call('HSET', res_key(name), 'removed', '1')
return { 1, 'deferred' }
