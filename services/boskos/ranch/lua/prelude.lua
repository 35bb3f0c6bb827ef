-- Shared by every ranch script. ARGV[1] is the key base (<prefix>:boskos), ARGV[2] the time in
-- milliseconds, or '' for Redis' own clock (one clock for every replica).
--
-- Keys (type, state, name and request ids percent-encoded so that ':' cannot make two keys meet):
--   res:<name>            hash: type, state, owner, lastupdate, expiration?, lastowner?, removed?, dynamic?
--   ud:<name>             hash: the resource's userdata
--   free:<type>:<state>   zset of unowned resources in that state, scored by lastupdate (LRU first)
--   held:<type>:<state>   zset of owned resources in that state, scored by lastupdate (what /reset reads)
--   names:<type>          set of the type's resources;  types: set of types that have resources
--   count:<type>          hash state -> count;  owners:<type>: hash owner -> count ('' = unowned)
--   drlc:<type>           hash: state, min, max, lifespan (ms, or ''); drlcs: set of DRLC types
--   q:<type>:<state>      zset request_id -> arrival sequence (FIFO); qexp: request_id -> expiry;
--   qat:<type>:<state>    hash request_id -> arrival time;  qseq: the sequence
--   done:<type>:<state>:<request_id>   the resource a request was given, kept for the request TTL
local base = ARGV[1]
local now
if ARGV[2] ~= '' then
  now = tonumber(ARGV[2])
else
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end

local function enc(s)
  return (string.gsub(s, '[%%:{}]', function(c) return string.format('%%%02X', string.byte(c)) end))
end
local function res_key(name) return base .. ':res:' .. enc(name) end
local function ud_key(name) return base .. ':ud:' .. enc(name) end
local function idx_key(rtype, state, owner)
  return base .. (owner == '' and ':free:' or ':held:') .. enc(rtype) .. ':' .. enc(state)
end
local function names_key(rtype) return base .. ':names:' .. enc(rtype) end
local function count_key(rtype) return base .. ':count:' .. enc(rtype) end
local function owners_key(rtype) return base .. ':owners:' .. enc(rtype) end
local function drlc_key(rtype) return base .. ':drlc:' .. enc(rtype) end
local types_key = base .. ':types'
local drlcs_key = base .. ':drlcs'

local function bump(hash, field, by)
  if redis.call('HINCRBY', hash, field, by) <= 0 then redis.call('HDEL', hash, field) end
end

-- Moves a resource to (state, owner) and stamps lastupdate: the one transition every script uses.
local function move(name, rtype, from_state, from_owner, to_state, to_owner)
  redis.call('ZREM', idx_key(rtype, from_state, from_owner), name)
  redis.call('ZADD', idx_key(rtype, to_state, to_owner), now, name)
  if from_state ~= to_state then
    bump(count_key(rtype), from_state, -1)
    bump(count_key(rtype), to_state, 1)
  end
  if from_owner ~= to_owner then
    bump(owners_key(rtype), from_owner, -1)
    bump(owners_key(rtype), to_owner, 1)
  end
  redis.call('HSET', res_key(name), 'state', to_state, 'owner', to_owner, 'lastupdate', now)
end

local function create(name, rtype, state, dynamic)
  redis.call('HSET', res_key(name), 'type', rtype, 'state', state, 'owner', '', 'lastupdate', now)
  if dynamic then redis.call('HSET', res_key(name), 'dynamic', '1') end
  redis.call('ZADD', idx_key(rtype, state, ''), now, name)
  bump(count_key(rtype), state, 1)
  bump(owners_key(rtype), '', 1)
  redis.call('SADD', names_key(rtype), name)
  redis.call('SADD', types_key, rtype)
end

local function drop(name, rtype, state, owner)
  redis.call('ZREM', idx_key(rtype, state, owner), name)
  bump(count_key(rtype), state, -1)
  bump(owners_key(rtype), owner, -1)
  redis.call('SREM', names_key(rtype), name)
  if redis.call('SCARD', names_key(rtype)) == 0 then redis.call('SREM', types_key, rtype) end
  redis.call('DEL', res_key(name), ud_key(name))
end

-- A resource that is no longer owned leaves if the config removed it while it was held.
local function unown(name, rtype, state, owner, dest)
  if redis.call('HGET', res_key(name), 'removed') == '1' then
    drop(name, rtype, state, owner)
    return false
  end
  move(name, rtype, state, owner, dest, '')
  return true
end

local function reply(name)
  local h = redis.call('HMGET', res_key(name), 'type', 'state', 'owner', 'lastupdate', 'expiration')
  return { name, h[1], h[2], h[3], h[4], h[5] or '', redis.call('HGETALL', ud_key(name)) }
end
