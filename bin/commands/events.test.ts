import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { ProwError, isProwError } from '../../lib/errors.ts';
import { createGitHubClient } from '../../lib/github/github-client.ts';
import { createQueue } from '../../lib/queue/bullmq.ts';
import { queueNames } from '../../lib/queue/names.ts';
import { definePlugin } from '../../plugins/plugin.ts';
import { eventJobId } from '../../services/hook/event-job-options.ts';
import type { EventJob } from '../../services/hook/event-job.ts';
import { startEventWorkers } from '../../services/hook/worker/event-workers.ts';
import { enqueue, eventJob, loadTestConfig, settled } from '../../services/hook/worker/testing/worker-kit.ts';
import { memoryLogger } from '../../test/helpers/memory-logger.ts';
import { dropPrefix, uniqueRedis } from '../../test/helpers/redis.ts';
import { runEvents } from './events.ts';

const settings = uniqueRedis('events-cli');
afterEach(async () => {
  await dropPrefix(settings);
});

async function run(argv: string[]): Promise<{ code: number; lines: string[] }> {
  const lines: string[] = [];
  const code = await runEvents(argv, { print: (l) => lines.push(l), redis: settings });
  return { code, lines };
}

const payload = (n: number): string =>
  JSON.stringify({ action: 'opened', issue: { number: n, title: 't', html_url: 'u', user: { login: 'a' } }, repository: { name: 'widgets', owner: { login: 'acme' } } });

describe('prow events', () => {
  it('lists deliveries that used up their attempts, and retries one so that only the failed plugin runs again', async () => {
    let brokenCalls = 0;
    let steadyCalls = 0;
    const broken = definePlugin({
      name: 'broken',
      help: { description: 'fails twice', commands: [] },
      handlers: {
        'issues.opened': () => {
          brokenCalls++;
          return brokenCalls <= 2 ? Promise.reject(new Error('backend down')) : Promise.resolve();
        },
      },
    });
    const steady = definePlugin({
      name: 'steady',
      help: { description: 'works', commands: [] },
      handlers: {
        issues: () => {
          steadyCalls++;
          return Promise.resolve();
        },
      },
    });
    const config = await loadTestConfig('plugins:\n  acme: [broken, steady]\n');
    const workers = await startEventWorkers({
      redis: settings,
      github: createGitHubClient({ credentials: { kind: 'none' }, logger: memoryLogger('warn').logger, baseUrl: 'http://127.0.0.1:9' }),
      logger: memoryLogger('warn').logger,
      config: () => config,
      metrics: new Registry(),
      botLogin: 'prow-bot',
      plugins: [broken, steady],
    });
    const queue = createQueue<EventJob>(settings, queueNames.events);
    try {
      const job = eventJob('issues', 'delivery-a1', payload(1));
      await enqueue(queue, job, { attempts: 2 });
      expect(await settled(queue, job.delivery)).toBe('failed');
      expect([brokenCalls, steadyCalls]).toEqual([2, 1]);

      const listed = await run(['failed']);
      expect(listed.code).toBe(0);
      expect(listed.lines.map((l) => JSON.parse(l) as unknown)).toEqual([
        expect.objectContaining({
          delivery: 'delivery-a1',
          event: 'issues',
          attempts: 2,
          failedReason: '1 of 2 steps failed: broken/issues.opened (retry: backend down)',
          pluginsNotDone: ['broken'],
        }),
      ]);

      expect(await run(['retry', 'delivery-a1'])).toEqual({ code: 0, lines: ['{"delivery":"delivery-a1","retried":true}'] });
      expect(await settled(queue, job.delivery)).toBe('completed');
      expect([brokenCalls, steadyCalls]).toEqual([3, 1]);
      expect((await run(['failed'])).lines).toEqual([]);
    } finally {
      await workers.close();
      await queue.close();
    }
  });

  it('retries every failed delivery with --all, and refuses what is not failed', async () => {
    const refuses = definePlugin({
      name: 'refuses',
      help: { description: 'fails for good', commands: [] },
      handlers: { issues: () => Promise.reject(new ProwError('PROW_ERR_CONFIG_INVALID', 'refuses: missing settings')) },
    });
    const config = await loadTestConfig('plugins:\n  acme: [refuses]\n');
    const queue = createQueue<EventJob>(settings, queueNames.events);
    const workers = await startEventWorkers({
      redis: settings,
      github: createGitHubClient({ credentials: { kind: 'none' }, logger: memoryLogger('warn').logger, baseUrl: 'http://127.0.0.1:9' }),
      logger: memoryLogger('warn').logger,
      config: () => config,
      metrics: new Registry(),
      botLogin: 'prow-bot',
      plugins: [refuses],
    });
    try {
      // BullMQ cannot take `d:2` as a job id, so intake files it under a hash; people still name the delivery.
      for (const id of ['d-1', 'd:2']) {
        await enqueue(queue, eventJob('issues', id, payload(2)), { attempts: 5, jobId: eventJobId(id) });
        expect(await settled(queue, eventJobId(id))).toBe('failed');
      }
      // Nothing takes jobs from here on, so retried ones stay waiting.
      await workers.close();
      await enqueue(queue, eventJob('issues', 'd-waiting', payload(3)));
      const newest = (await run(['failed', '--limit', '1'])).lines.map((l) => JSON.parse(l) as unknown);
      expect(newest).toEqual([expect.objectContaining({ delivery: 'd:2', jobId: eventJobId('d:2'), pluginsNotDone: ['refuses'] })]);
      expect(await run(['retry', 'd:2'])).toEqual({ code: 0, lines: ['{"delivery":"d:2","retried":true}'] });
      expect(await queue.getJobState(eventJobId('d:2'))).toBe('waiting');
      const err: unknown = await run(['retry', 'd-waiting']).catch((e: unknown) => e);
      expect(isProwError(err, 'PROW_ERR_EVENT_NOT_FAILED')).toBe(true);
      const missing: unknown = await run(['retry', 'nope']).catch((e: unknown) => e);
      expect(isProwError(missing, 'PROW_ERR_EVENT_NOT_FOUND')).toBe(true);

      const all = await run(['retry', '--all']);
      expect(all.lines).toEqual(['{"delivery":"d-1","retried":true}']);
      expect(await queue.getJobState('d-1')).toBe('waiting');
      expect((await run(['failed'])).lines).toEqual([]);
    } finally {
      await workers.close();
      await queue.close();
    }
  });

  it('explains bad usage with PROW_ERR_USAGE', async () => {
    for (const argv of [[], ['bogus'], ['retry'], ['retry', 'x', '--all'], ['failed', '--limit', '0'], ['failed', 'x']]) {
      const err: unknown = await run(argv).catch((e: unknown) => e);
      expect(isProwError(err, 'PROW_ERR_USAGE'), argv.join(' ')).toBe(true);
    }
  });
});
