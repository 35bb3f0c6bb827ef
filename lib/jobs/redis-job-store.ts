import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { createRedis, type RedisSettings } from '../queue/redis.ts';
import { JobConflictError, matchesSelector, updateWithRetry, type JobChange, type JobSelector, type JobStore, type JobWatch } from './job-store.ts';
import type { ProwJob } from './prowjob.ts';

// Keys under `<prefix>:jobs:`: `obj` (hash name -> JSON), `rv` (hash name -> resourceVersion, the compare of
// every write), `order` (zset name by creation), `seq` (the resourceVersion counter), `changes` (a stream of
// {type, job}), `build:<job>` (build id counters).
//
// Each write takes a fresh resourceVersion from `seq` first and then commits in one script only if the
// stored version is still the one read; JSON never passes through Lua's cjson, which would turn `[]` into `{}`.

const createScript = `
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('HSET', KEYS[2], ARGV[1], ARGV[3])
redis.call('ZADD', KEYS[3], ARGV[3], ARGV[1])
redis.call('XADD', KEYS[4], 'MAXLEN', '~', ARGV[4], '*', 'type', 'ADDED', 'job', ARGV[2])
return 1`;

const updateScript = `
local current = redis.call('HGET', KEYS[2], ARGV[1])
if not current then return -1 end
if current ~= ARGV[4] then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('HSET', KEYS[2], ARGV[1], ARGV[3])
redis.call('XADD', KEYS[4], 'MAXLEN', '~', ARGV[5], '*', 'type', 'MODIFIED', 'job', ARGV[2])
return 1`;

const deleteScript = `
local json = redis.call('HGET', KEYS[1], ARGV[1])
if not json then return 0 end
redis.call('HDEL', KEYS[1], ARGV[1])
redis.call('HDEL', KEYS[2], ARGV[1])
redis.call('ZREM', KEYS[3], ARGV[1])
redis.call('XADD', KEYS[4], 'MAXLEN', '~', ARGV[2], '*', 'type', 'DELETED', 'job', json)
return 1`;

/** Changes the stream keeps; a watcher that falls further behind lists again. */
const streamLength = 100_000;
/** How long one blocking read of the change stream waits, so `close` is prompt. */
const blockMs = 1_000;
const listChunk = 1_000;

interface Keys {
  obj: string;
  rv: string;
  order: string;
  seq: string;
  changes: string;
  build: (job: string) => string;
}

/** Options for tests and tuning. */
export interface RedisJobStoreOptions {
  /** Changes the change stream retains (default 100,000). */
  streamLength?: number;
}

/**
 * The JobStore of local mode: every ProwJob as JSON in Redis under the settings' prefix, each write a
 * compare-and-set on its resourceVersion, changes on a Redis stream every process can watch.
 */
export function createRedisJobStore(settings: RedisSettings, options: RedisJobStoreOptions = {}): JobStore {
  const base = `${settings.prefix}:jobs`;
  const keys: Keys = {
    obj: `${base}:obj`,
    rv: `${base}:rv`,
    order: `${base}:order`,
    seq: `${base}:seq`,
    changes: `${base}:changes`,
    build: (job) => `${base}:build:${job}`,
  };
  const maxLen = String(options.streamLength ?? streamLength);
  const redis = createRedis(settings, `${base}-store`);
  const watches = new Set<JobWatch>();

  const stamp = (job: ProwJob, rv: number): ProwJob => ({ ...job, metadata: { ...job.metadata, resourceVersion: String(rv) } });

  const get = async (name: string): Promise<ProwJob | undefined> => {
    const json = await redis.hget(keys.obj, name);
    return json === null ? undefined : (JSON.parse(json) as ProwJob);
  };

  return {
    async create(job) {
      const name = job.metadata.name || randomUUID();
      const rv = await redis.incr(keys.seq);
      const stored = stamp({ ...job, metadata: { ...job.metadata, name, creationTimestamp: job.metadata.creationTimestamp ?? new Date().toISOString() } }, rv);
      const ok = await redis.eval(createScript, 4, keys.obj, keys.rv, keys.order, keys.changes, name, JSON.stringify(stored), String(rv), maxLen);
      if (ok !== 1) throw new JobConflictError(`a ProwJob named ${name} already exists`);
      return stored;
    },

    get,

    async list(selector?: JobSelector) {
      const names = await redis.zrange(keys.order, '0', '-1');
      const jobs: ProwJob[] = [];
      for (let i = 0; i < names.length; i += listChunk) {
        const values = await redis.hmget(keys.obj, ...names.slice(i, i + listChunk));
        for (const json of values) {
          if (json === null) continue;
          const job = JSON.parse(json) as ProwJob;
          if (matchesSelector(job, selector)) jobs.push(job);
        }
      }
      return jobs;
    },

    update(name, mutate) {
      return updateWithRetry(name, mutate, get, async (current, changed) => {
        const rv = await redis.incr(keys.seq);
        const stored = stamp({ ...changed, metadata: { ...changed.metadata, name } }, rv);
        const ok = await redis.eval(
          updateScript,
          4,
          keys.obj,
          keys.rv,
          keys.order,
          keys.changes,
          name,
          JSON.stringify(stored),
          String(rv),
          current.metadata.resourceVersion ?? '',
          maxLen,
        );
        return ok === 1 ? stored : ok === -1 ? 'gone' : 'conflict';
      });
    },

    async delete(name) {
      await redis.eval(deleteScript, 4, keys.obj, keys.rv, keys.order, keys.changes, name, maxLen);
    },

    async watch(onChange, selector) {
      const watch = await startStreamWatch(redis, keys, onChange, selector);
      const tracked: JobWatch = {
        async close() {
          watches.delete(tracked);
          await watch.close();
        },
      };
      watches.add(tracked);
      return tracked;
    },

    async nextBuildId(jobName) {
      return String(await redis.incr(keys.build(jobName)));
    },

    async close() {
      await Promise.all([...watches].map((w) => w.close()));
      redis.disconnect();
    },
  };
}

/**
 * Lists, then follows the change stream from the position read before the list, on a connection of its own
 * (XREAD BLOCK holds it). Versions already delivered are skipped, so a change the list already showed is not
 * delivered twice. Any error (Redis gone, the stream trimmed past us) leads to listing again once Redis answers.
 */
async function startStreamWatch(
  redis: Redis,
  keys: Keys,
  onChange: (change: JobChange) => void,
  selector: JobSelector | undefined,
): Promise<JobWatch> {
  const reader = redis.duplicate({ connectionName: `${keys.obj}-watch` });
  reader.on('error', () => undefined);
  const seen = new Map<string, number>();
  const stop = new AbortController();
  const stopped = (): boolean => stop.signal.aborted;
  // ioredis never settles a command that waits for a reconnect when the connection is closed then (its
  // disconnect finds no socket to close, so the offline queue is not flushed): every command of this loop
  // therefore also gives up when the watch stops, or `close` would wait for ever after an outage.
  const closedError = new Error('the watch was closed');
  const whileOpen = <T>(command: Promise<T>): Promise<T> =>
    stopped()
      ? Promise.reject(closedError)
      : new Promise<T>((resolve, reject) => {
          const onStop = (): void => {
            reject(closedError);
          };
          stop.signal.addEventListener('abort', onStop, { once: true });
          command.then(resolve, reject).finally(() => {
            stop.signal.removeEventListener('abort', onStop);
          });
        });
  let lastId = '0-0';

  // `seen` holds the version of every job delivered to this watch: older versions are skipped, and a job
  // that never matched the selector is never reported deleted.
  const deliver = (type: JobChange['type'], job: ProwJob): void => {
    const name = job.metadata.name;
    const known = seen.get(name);
    if (type === 'DELETED') {
      if (known === undefined) return;
      seen.delete(name);
      onChange({ type, job });
      return;
    }
    const rv = Number(job.metadata.resourceVersion ?? 0);
    if (known !== undefined && known >= rv) return;
    if (!matchesSelector(job, selector)) return;
    seen.set(name, rv);
    onChange({ type: known === undefined ? 'ADDED' : 'MODIFIED', job });
  };

  // Reads everything as it is now and reports the difference from what this watch delivered before.
  const relist = async (): Promise<void> => {
    const last = (await whileOpen(reader.xrevrange(keys.changes, '+', '-', 'COUNT', 1)))[0];
    lastId = last?.[0] ?? '0-0';
    const names = await whileOpen(reader.zrange(keys.order, '0', '-1'));
    const present = new Set<string>();
    for (let i = 0; i < names.length; i += listChunk) {
      const values = await whileOpen(reader.hmget(keys.obj, ...names.slice(i, i + listChunk)));
      for (const json of values) {
        if (json === null) continue;
        const job = JSON.parse(json) as ProwJob;
        present.add(job.metadata.name);
        deliver('ADDED', job);
      }
    }
    for (const name of [...seen.keys()]) {
      if (present.has(name)) continue;
      // Deleted while we were away: only its name is known, which is all a DELETED handler needs.
      deliver('DELETED', { metadata: { name, labels: {}, annotations: {} } } as ProwJob);
    }
  };

  const follow = async (): Promise<void> => {
    while (!stopped()) {
      try {
        const result = await whileOpen(reader.xread('COUNT', 1000, 'BLOCK', blockMs, 'STREAMS', keys.changes, lastId));
        for (const [, entries] of result ?? []) {
          for (const [id, fields] of entries) {
            lastId = id;
            const type = fields[1] as JobChange['type'];
            deliver(type, JSON.parse(fields[3] ?? '{}') as ProwJob);
          }
        }
      } catch {
        if (stopped()) return;
        await new Promise((resolve) => setTimeout(resolve, 500));
        try {
          await relist();
        } catch {
          // Still away; the next round tries again.
        }
      }
    }
  };

  await relist();
  const loop = follow();
  return {
    async close() {
      stop.abort();
      reader.disconnect();
      await loop;
    },
  };
}
