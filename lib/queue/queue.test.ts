import { afterEach, describe, expect, it } from 'vitest';
import { createServer } from 'node:net';
import { isProwError } from '../errors.ts';
import { dropPrefix, testRedisUrl, uniqueRedis } from '../../test/helpers/redis.ts';
import { createQueue, createWorker } from './bullmq.ts';
import { queueNames, redisKey } from './names.ts';
import { assertRedisReachable, createRedis, safeRedisUrl } from './redis.ts';

const settings = uniqueRedis('queue');
afterEach(async () => {
  await dropPrefix(settings);
});

describe('queue connections', () => {
  it('runs a job through a prefixed queue and worker, once per job id', async () => {
    const queue = createQueue<{ n: number }>(settings, queueNames.events);
    const seen: number[] = [];
    let finished = (): void => undefined;
    const done = new Promise<void>((resolve) => (finished = resolve));
    const worker = createWorker<{ n: number }>(settings, queueNames.events, (job) => {
      seen.push(job.data.n);
      finished();
      return Promise.resolve();
    });
    await queue.add('delivery', { n: 1 }, { jobId: 'd-1' });
    await queue.add('delivery', { n: 2 }, { jobId: 'd-1' });
    await done;
    const redis = createRedis(settings);
    const keys = await redis.keys(`${settings.prefix}:events:*`);
    redis.disconnect();
    await worker.close();
    await queue.close();
    expect(seen).toEqual([1]);
    expect(keys.length).toBeGreaterThan(0);
  });

  it('names keys under the prefix and service', () => {
    expect(redisKey('prow', 'boskos', 'resources', 'gce-project')).toBe('prow:boskos:resources:gce-project');
  });

  it('says where Redis is not answering, without the password', async () => {
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    await new Promise<void>((r) => server.close(() => { r(); }));
    const url = `redis://:hunter2@127.0.0.1:${port}`;
    const err: unknown = await assertRedisReachable(url, 500).catch((e: unknown) => e);
    expect(isProwError(err, 'PROW_ERR_REDIS_UNREACHABLE')).toBe(true);
    expect(String(err)).not.toContain('hunter2');
    expect(String(err)).toContain(`127.0.0.1:${port}`);
  });

  it('passes when Redis answers', async () => {
    await expect(assertRedisReachable(testRedisUrl)).resolves.toBeUndefined();
  });

  it('hides passwords in URLs meant for people', () => {
    expect(safeRedisUrl('redis://user:secret@host:6379/0')).toBe('redis://user:redacted@host:6379/0');
  });
});
