-- ARGV: base, now, name, then the names in its leasedResources: Boskos' cleaner. An unowned toBeDeleted
-- resource gives back what it was built from (dirty, unowned) and becomes a tombstone.
local name = ARGV[3]
local h = redis.call('HMGET', res_key(name), 'type', 'state', 'owner')
if not h[1] or h[2] ~= 'toBeDeleted' or h[3] ~= '' then return { 1, -1 } end
local released = 0
for i = 4, #ARGV do
  local c = redis.call('HMGET', res_key(ARGV[i]), 'type', 'state', 'owner')
  if c[1] then
    move(ARGV[i], c[1], c[2], c[3], 'dirty', '')
    released = released + 1
  end
end
move(name, h[1], 'toBeDeleted', '', 'tombstone', '')
return { 1, released }
