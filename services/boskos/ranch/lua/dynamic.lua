-- ARGV: base, now, type, then fresh names for resources to create. Boskos' updateDynamicResources in one step:
-- unowned tombstones go, expired ones are marked toBeDeleted, the type is filled up to min-count, and the
-- surplus over max-count (unowned, by name descending) is marked toBeDeleted. Owned resources are not touched.
local rtype = ARGV[3]
local d = redis.call('HMGET', drlc_key(rtype), 'min', 'max', 'state')
if not d[1] then return { 1, 0, 0, 0 } end
local min, max, initial = tonumber(d[1]), tonumber(d[2]), d[3]
local names = redis.call('SMEMBERS', names_key(rtype))
local tombstoned, to_be_deleted, created, marked = 0, 0, 0, 0
local idle = {}
for _, name in ipairs(names) do
  local h = redis.call('HMGET', res_key(name), 'state', 'owner', 'expiration')
  if h[2] == '' then
    if h[1] == 'tombstone' then
      drop(name, rtype, h[1], '')
      tombstoned = tombstoned + 1
    elseif h[1] == 'toBeDeleted' then
      to_be_deleted = to_be_deleted + 1
    elseif h[3] and tonumber(h[3]) < now then
      move(name, rtype, h[1], '', 'toBeDeleted', '')
      to_be_deleted = to_be_deleted + 1
      marked = marked + 1
    else
      idle[#idle + 1] = { name, h[1] }
    end
  end
end
local active = #names - tombstoned
local i = 4
while active < min and ARGV[i] do
  if redis.call('EXISTS', res_key(ARGV[i])) == 0 then
    create(ARGV[i], rtype, initial, true)
    created = created + 1
    active = active + 1
  end
  i = i + 1
end
table.sort(idle, function(a, b) return a[1] > b[1] end)
for j = 1, math.min(active - to_be_deleted - max, #idle) do
  move(idle[j][1], rtype, idle[j][2], '', 'toBeDeleted', '')
  marked = marked + 1
end
if min == 0 and max == 0 and redis.call('SCARD', names_key(rtype)) == 0 then
  redis.call('DEL', drlc_key(rtype))
  redis.call('SREM', drlcs_key, rtype)
end
return { 1, created, marked, tombstoned }
