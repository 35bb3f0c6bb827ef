import { describe, expect, it } from 'vitest';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';
import { findRedisServer, startLocalRedis } from './local-redis.ts';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address();
  await new Promise<void>((r) => server.close(() => { r(); }));
  return typeof address === 'object' && address ? address.port : 0;
}

describe('startLocalRedis', () => {
  it('starts a redis-server that answers, and stops it', async () => {
    const binary = await findRedisServer();
    expect(binary, 'redis-server must be installed for the tests (.ci/run installs it)').toBeDefined();
    const port = await freePort();
    const local = await startLocalRedis(binary ?? 'redis-server', port);
    const client = new Redis(local.url, { lazyConnect: true });
    await client.connect();
    expect(await client.ping()).toBe('PONG');
    client.disconnect();
    await local.stop();
    const after = new Redis(local.url, { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
    after.on('error', () => undefined);
    await expect(after.connect()).rejects.toThrow();
    after.disconnect();
  });

  it('reports why redis-server could not start when its port is taken', async () => {
    const binary = (await findRedisServer()) ?? 'redis-server';
    const squatter = createServer((socket) => socket.destroy());
    const port = await freePort();
    await new Promise<void>((r) => squatter.listen(port, '127.0.0.1', r));
    try {
      await expect(startLocalRedis(binary, port)).rejects.toThrow(/redis-server exited/);
    } finally {
      await new Promise<void>((r) => squatter.close(() => { r(); }));
    }
  });
});
