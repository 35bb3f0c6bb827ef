-- ARGV: base, now, type, state, dest, owner, request_id ('' for none), request ttl ms, name for a new dynamic resource
local rtype, state, dest, owner, rid = ARGV[3], ARGV[4], ARGV[5], ARGV[6], ARGV[7]
local ttl, new_name = tonumber(ARGV[8]), ARGV[9]
local qk = enc(rtype) .. ':' .. enc(state)
local q, qexp, qat = base .. ':q:' .. qk, base .. ':qexp:' .. qk, base .. ':qat:' .. qk
local done_key = base .. ':done:' .. qk .. ':' .. enc(rid)

if rid ~= '' then
  -- A request that was answered but whose answer was lost (a dropped connection) gets the same resource again.
  local given = redis.call('GET', done_key)
  if given then
    local h = redis.call('HMGET', res_key(given), 'owner', 'state')
    if h[1] == owner and h[2] == dest then return { 1, reply(given), now, 1 } end
  end
end

local type_count = redis.call('SCARD', names_key(rtype))
local drlc = redis.call('HMGET', drlc_key(rtype), 'max', 'state')
-- No such type and none Boskos would create: nothing to queue for.
if type_count == 0 and not drlc[1] then return { 0, 'type-not-found', rtype } end

for _, id in ipairs(redis.call('ZRANGEBYSCORE', qexp, '-inf', '(' .. now)) do
  redis.call('ZREM', q, id)
  redis.call('ZREM', qexp, id)
  redis.call('HDEL', qat, id)
end

local rank, is_new = 1, false
if rid ~= '' then
  if not redis.call('ZSCORE', q, rid) then
    is_new = true
    redis.call('ZADD', q, redis.call('INCR', base .. ':qseq'), rid)
    redis.call('HSET', qat, rid, now)
  end
  redis.call('ZADD', qexp, now + ttl, rid)
  rank = redis.call('ZRANK', q, rid) + 1
  -- A line nobody polls any more goes away on its own.
  for _, k in ipairs({ q, qexp, qat }) do redis.call('PEXPIRE', k, ttl * 2) end
else
  rank = redis.call('ZCARD', q) + 1
end

local picked = redis.call('ZRANGE', idx_key(rtype, state, ''), rank - 1, rank - 1)[1]
if picked then
  local created_at = now
  if rid ~= '' then
    created_at = tonumber(redis.call('HGET', qat, rid)) or now
    redis.call('ZREM', q, rid)
    redis.call('ZREM', qexp, rid)
    redis.call('HDEL', qat, rid)
    redis.call('SET', done_key, picked, 'PX', ttl)
  end
  move(picked, rtype, state, '', dest, owner)
  redis.call('HDEL', res_key(picked), 'lastowner')
  return { 1, reply(picked), created_at, 0 }
end

if is_new and new_name ~= '' then
  if drlc[1] and type_count < tonumber(drlc[1]) and redis.call('EXISTS', res_key(new_name)) == 0 then
    create(new_name, rtype, drlc[2], true)
  end
end
if type_count > 0 then return { 0, 'resource-not-found', rtype } end
return { 0, 'type-not-found', rtype }
