-- ARGV: base, now, state, dest, owner, name... ; all or nothing (Boskos keeps what it grabbed before a miss)
local state, dest, owner = ARGV[3], ARGV[4], ARGV[5]
local found = {}
for i = 6, #ARGV do
  local h = redis.call('HMGET', res_key(ARGV[i]), 'type', 'state', 'owner')
  if not h[1] or h[2] ~= state or h[3] ~= '' then return { 0, 'resource-not-found', state } end
  found[#found + 1] = { ARGV[i], h[1] }
end
local out = { 1 }
for _, r in ipairs(found) do
  move(r[1], r[2], state, '', dest, owner)
  redis.call('HDEL', res_key(r[1]), 'lastowner')
  out[#out + 1] = reply(r[1])
end
return out
