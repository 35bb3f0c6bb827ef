import examples from '@octokit/webhooks-examples' with { type: 'json' };
import type { Queue } from 'bullmq';
import { Registry } from 'prom-client';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEmulator } from '../../../emulator/github/testing/test-emulator.ts';
import { createGitHubClient } from '../../../lib/github/github-client.ts';
import { createQueue } from '../../../lib/queue/bullmq.ts';
import { queueNames } from '../../../lib/queue/names.ts';
import { plugins as table } from '../../../plugins/index.ts';
import { definePlugin, type PluginContextBase } from '../../../plugins/plugin.ts';
import { memoryLogger } from '../../../test/helpers/memory-logger.ts';
import { dropPrefix, uniqueRedis } from '../../../test/helpers/redis.ts';
import { buildHookApp } from '../app.ts';
import type { EventJob } from '../event-job.ts';
import { eventJobId } from '../event-job-options.ts';
import { JournalDrainer } from '../journal-drainer.ts';
import { deliveryHeaders } from '../testing/signed-delivery.ts';
import { parseWebhookSecret } from '../../../lib/webhooks/webhook-secrets.ts';
import { startEventWorkers, type EventWorkers } from './event-workers.ts';
import { handlerNames, whereFrom } from './plan-steps.ts';
import { eventJob, loadTestConfig, settled } from './testing/worker-kit.ts';

interface Example {
  event: string;
  delivery: string;
  payload: Record<string, unknown>;
}
// The package's typings describe an ESM default export; under nodenext the JSON import is typed as the module.
const definitions = examples as unknown as { name: string; examples: Record<string, unknown>[] }[];
const all: Example[] = definitions.flatMap((definition) =>
  definition.examples.map((payload, i) => ({ event: definition.name, delivery: `example-${definition.name}-${i}`, payload })),
);

const settings = uniqueRedis('hook-examples');
let emu: Awaited<ReturnType<typeof startTestEmulator>>;
const secret = 'examples-secret';
let workers: EventWorkers;
let queue: Queue<EventJob>;
let hook: ReturnType<typeof buildHookApp>;
let drainer: JournalDrainer;
const seen = new Map<string, string[]>();

/** A plugin in every example's repo that takes every handler name the examples call for, and reads its repo from GitHub. */
const probe = definePlugin({
  name: 'example-probe',
  help: { description: 'records what it is given', commands: [] },
  handlers: Object.fromEntries(
    [...new Set(all.flatMap((e) => handlerNames(e.event, e.payload)))].map((name) => [
      name,
      async (ctx: PluginContextBase) => {
        seen.set(ctx.delivery, [...(seen.get(ctx.delivery) ?? []), name]);
        await ctx.github.rest.repos.get({ owner: ctx.org, repo: ctx.repo });
      },
    ]),
  ),
});

beforeAll(async () => {
  emu = await startTestEmulator();
  const { token } = await emu.control.createUser({ login: 'prow-bot' });
  await emu.control.createUser({ login: 'Codertocat' });
  await emu.control.createRepo({ owner: 'Codertocat', name: 'Hello-World' });
  const repos = [...new Set(all.flatMap((e) => {
    const where = whereFrom(e.payload);
    return where?.repo === undefined ? [] : [`${where.org}/${where.repo}`];
  }))];
  const names = [...table.map((p) => p.name), probe.name];
  const config = await loadTestConfig(stringify({ plugins: Object.fromEntries(repos.map((r) => [r, names])) }));
  workers = await startEventWorkers({
    redis: settings,
    github: createGitHubClient({
      credentials: { kind: 'token', token },
      logger: memoryLogger('warn').logger,
      baseUrl: emu.url,
      retries: { retries: 0 },
      rateLimits: { enabled: false },
    }),
    logger: memoryLogger('warn').logger,
    config: () => config,
    metrics: new Registry(),
    botLogin: 'prow-bot',
    concurrency: 20,
    plugins: [...table, probe],
    stepTimeoutMs: 15_000,
  });
  queue = createQueue<EventJob>(settings, queueNames.events);
  const logger = memoryLogger('warn').logger;
  hook = buildHookApp({ logger, redis: settings, secrets: parseWebhookSecret(secret), pluginConfig: () => config.plugins });
  drainer = JournalDrainer.start({ redis: settings, logger, blockMs: 100, jobOptions: { attempts: 2, backoff: { type: 'fixed', delay: 1 } } });
});
afterAll(async () => {
  await hook.close();
  await drainer.close();
  await workers.close();
  await queue.close();
  await dropPrefix(settings);
  await emu.close();
});

describe('every @octokit/webhooks-examples payload through the real hook, a real worker and the real plugin table', () => {
  it('accepts every one as a signed webhook, settles every delivery, completed or failed with a reason, and the worker keeps working', async () => {
    for (const e of all) {
      const body = JSON.stringify(e.payload);
      const res = await hook.inject({ method: 'POST', url: '/hook', headers: deliveryHeaders(secret, body, { 'x-github-event': e.event, 'x-github-delivery': e.delivery }), payload: body });
      expect(res.statusCode, e.delivery).toBe(200);
    }
    const outcomes = await Promise.all(all.map(async (e) => [e, await settled(queue, eventJobId(e.delivery), 50_000)] as const));
    for (const [e, state] of outcomes) {
      const job = await queue.getJob(eventJobId(e.delivery));
      if (state === 'failed') expect(job?.failedReason, e.delivery).toMatch(/steps failed/);
      const where = whereFrom(e.payload);
      // Every example with a repository reached the probe, by each name @octokit/webhooks gives its handlers.
      if (where?.repo !== undefined) expect(seen.get(e.delivery)?.sort(), e.delivery).toEqual(handlerNames(e.event, e.payload).sort());
      else expect(seen.has(e.delivery), e.delivery).toBe(false);
      // The probe's read succeeds where the repo exists in the emulator; elsewhere GitHub's 404 fails the delivery for good.
      const exists = where?.org === 'Codertocat' && where.repo === 'Hello-World';
      if (where?.repo !== undefined && !exists) expect(state, e.delivery).toBe('failed');
      if (where?.repo !== undefined && state === 'failed') expect(job?.failedReason.includes('example-probe/'), e.delivery).toBe(!exists);
    }
    expect(outcomes.some(([, s]) => s === 'completed')).toBe(true);
    expect(outcomes.some(([, s]) => s === 'failed')).toBe(true);

    const after = eventJob('ping', 'after-examples', '{"zen":"Keep it logically awesome."}');
    await queue.add('ping', after, { jobId: after.delivery });
    expect(await settled(queue, after.delivery)).toBe('completed');
  }, 60_000);
});
