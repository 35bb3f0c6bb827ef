import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import type { RedisSettings } from '../../../lib/queue/redis.ts';
import { memoryLogger } from '../../../test/helpers/memory-logger.ts';
import { dropPrefix, uniqueRedis } from '../../../test/helpers/redis.ts';
import { buildBoskosApp } from '../app.ts';
import { BoskosClient } from '../client.ts';
import { syncResources, type SyncResult } from '../resources/config-sync.ts';
import { openRanchRedis } from '../ranch/ranch-redis.ts';
import { RedisRanch, type RedisRanchOptions } from '../ranch/redis-ranch.ts';
import { parseResourcesConfig, type ResourcesConfig } from '../resources/resources-config.ts';

/** One Boskos replica: its own Redis connection, ranch and HTTP server on port 0. */
export interface Replica {
  redis: Redis;
  ranch: RedisRanch;
  app: FastifyInstance;
  url: string;
}

/** Boskos on a Redis prefix of its own, with as many replicas as a test asks for. */
export interface BoskosWorld {
  settings: RedisSettings;
  replicas: Replica[];
  /** The first replica's ranch and URL. */
  ranch: RedisRanch;
  url: string;
  logs: ReturnType<typeof memoryLogger>;
  addReplica(): Promise<Replica>;
  client(owner: string, replica?: number): BoskosClient;
  /** Applies a resources file's text through the same sync the service runs. */
  sync(yaml: string): Promise<SyncResult>;
  close(): Promise<void>;
}

/** Parses a resources file or throws with its issues, for tests that write one inline. */
export function resourcesConfig(yaml: string, file = 'resources.yaml'): ResourcesConfig {
  const { config, issues } = parseResourcesConfig(file, yaml);
  if (config === undefined) throw new Error(`bad test config: ${issues.map((i) => i.message).join('; ')}`);
  return config;
}

export async function startBoskosWorld(opts: { yaml?: string; label?: string; settings?: RedisSettings; ranch?: Omit<RedisRanchOptions, 'redis' | 'prefix'> } = {}): Promise<BoskosWorld> {
  const settings = opts.settings ?? uniqueRedis(opts.label ?? 'boskos');
  const logs = memoryLogger('info');
  const replicas: Replica[] = [];
  const clients: BoskosClient[] = [];
  const addReplica = async (): Promise<Replica> => {
    const redis = await openRanchRedis(settings, `${settings.prefix}-replica-${replicas.length}`, logs.logger);
    const ranch = new RedisRanch({ redis, prefix: settings.prefix, ...opts.ranch });
    const app = buildBoskosApp({ logger: logs.logger, ranch });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    const replica = { redis, ranch, app, url: `http://127.0.0.1:${port}` };
    replicas.push(replica);
    return replica;
  };
  const first = await addReplica();
  const world: BoskosWorld = {
    settings,
    replicas,
    ranch: first.ranch,
    url: first.url,
    logs,
    addReplica,
    client(owner, replica = 0) {
      const c = new BoskosClient({ url: replicas[replica]?.url ?? first.url, owner });
      clients.push(c);
      return c;
    },
    async sync(yaml) {
      return syncResources(first.ranch, resourcesConfig(yaml), logs.logger);
    },
    async close() {
      for (const c of clients) c.close();
      for (const r of replicas) {
        await r.app.close();
        r.redis.disconnect();
      }
      if (opts.settings === undefined) await dropPrefix(settings);
    },
  };
  if (opts.yaml !== undefined) await world.sync(opts.yaml);
  return world;
}
