import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createQueue } from '../../../lib/queue/bullmq.ts';
import { queueNames } from '../../../lib/queue/names.ts';
import { createRedis } from '../../../lib/queue/redis.ts';
import { startPluginHarness, type PluginHarness } from '../../../plugins/testing/plugin-harness.ts';
import { dropPrefix, uniqueRedis } from '../../../test/helpers/redis.ts';
import type { EventJob } from '../event-job.ts';
import { ledgerKeys } from './delivery-ledger.ts';
import type { DeliveryResult } from './handle-delivery.ts';
import { enqueue, eventJob, settled } from './testing/worker-kit.ts';

const script = fileURLToPath(new URL('./testing/crash-worker.ts', import.meta.url));
const settings = uniqueRedis('hook-crash');
let h: PluginHarness;
let queue: Queue<EventJob>;
const children: ChildProcess[] = [];

beforeAll(async () => {
  h = await startPluginHarness();
  queue = createQueue<EventJob>(settings, queueNames.events);
});
afterAll(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await queue.close();
  await dropPrefix(settings);
  await h.close();
});

/** Starts crash-worker.ts in its own process; resolves once it is taking jobs. */
async function startWorker(mode: 'hang' | 'finish'): Promise<{ child: ChildProcess; stdout: () => string; exited: Promise<void> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    env: {
      ...process.env,
      CRASH_MODE: mode,
      REDIS_URL: settings.url,
      PROW_REDIS_PREFIX: settings.prefix,
      GITHUB_API_URL: h.emu.url,
      GITHUB_TOKEN: h.tokens['prow-bot'] ?? '',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => { resolve(); }));
  await until(() => out.includes('ready'), `the ${mode} worker did not start: ${err}`);
  return { child, stdout: () => out, exited };
}

async function until(check: () => boolean | Promise<boolean>, what: string, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(what);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('a worker killed in the middle of handling', () => {
  it('leaves nothing unhandled after a restart, and applies nothing twice', async () => {
    const issues: number[] = [];
    const jobs: EventJob[] = [];
    for (let i = 0; i < 3; i++) {
      const { data: issue } = await h.as('member').rest.issues.create({ owner: 'acme', repo: 'widgets', title: `crash ${i}` });
      const { data: comment } = await h.as('outsider').rest.issues.createComment({ owner: 'acme', repo: 'widgets', issue_number: issue.number, body: 'please' });
      const sent = (await h.events()).find((e) => e.event === 'issue_comment' && (e.payload.comment as { id: number }).id === comment.id);
      if (!sent) throw new Error('no webhook');
      issues.push(issue.number);
      jobs.push(eventJob('issue_comment', sent.delivery, JSON.stringify(sent.payload)));
    }

    const first = await startWorker('hang');
    for (const job of jobs) await enqueue(queue, job);
    const redis = createRedis(settings);
    try {
      await until(
        async () =>
          jobs.every((j) => first.stdout().includes(`hanging ${j.delivery}`)) &&
          (await Promise.all(jobs.map((j) => redis.sismember(ledgerKeys(settings.prefix, j.delivery).done, 'commenter/genericComment')))).every((n) => n === 1),
        'the first worker never got all three deliveries half done',
      );
    } finally {
      redis.disconnect();
    }
    first.child.kill('SIGKILL');
    await first.exited;
    expect(await Promise.all(jobs.map((j) => queue.getJobState(j.delivery)))).toEqual(['active', 'active', 'active']);

    const second = await startWorker('finish');
    for (const job of jobs) expect(await settled(queue, job.delivery, 20_000)).toBe('completed');
    second.child.kill('SIGTERM');
    await second.exited;

    for (const [i, number] of issues.entries()) {
      const { data: comments } = await h.as('admin').rest.issues.listComments({ owner: 'acme', repo: 'widgets', issue_number: number });
      expect(comments.filter((c) => c.user?.login === 'prow-bot').map((c) => c.body)).toEqual([`handled ${jobs[i]?.delivery ?? ''}`]);
      const { data: labels } = await h.bot.rest.issues.listLabelsOnIssue({ owner: 'acme', repo: 'widgets', issue_number: number });
      expect(labels.map((l) => l.name)).toEqual(['handled']);
      const result = (await queue.getJob(jobs[i]?.delivery ?? ''))?.returnvalue as DeliveryResult | undefined;
      expect(result).toEqual({ ran: ['labeler/genericComment'], skipped: ['commenter/genericComment'] });
    }
  }, 60_000);
});
