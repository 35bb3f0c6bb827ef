import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Octokit } from '@octokit/core';
import { startEmulator, type RunningEmulator } from '../../emulator/github/index.ts';
import { readEnv } from '../../lib/env.ts';
import { createGitHubClient } from '../../lib/github/github-client.ts';
import { createQueue } from '../../lib/queue/bullmq.ts';
import { queueNames } from '../../lib/queue/names.ts';
import type { RedisSettings } from '../../lib/queue/redis.ts';
import { memoryLogger } from '../../test/helpers/memory-logger.ts';
import { dropPrefix, uniqueRedis } from '../../test/helpers/redis.ts';
import type { RunningService, ServiceContext } from '../service.ts';
import { hook } from './index.ts';
import { deliveryHeaders, eventually, issueCommentBody } from './testing/signed-delivery.ts';

const secret = 'roles-test-secret';
let emu: RunningEmulator;
let admin: Octokit;
let dir: string;
let botToken: string;
const prefixes: RedisSettings[] = [];

beforeAll(async () => {
  emu = await startEmulator({ logger: memoryLogger('warn').logger });
  const adminToken = (await emu.control.createUser({ login: 'admin' })).token;
  botToken = (await emu.control.createUser({ login: 'prow-bot' })).token;
  await emu.control.createOrg({ login: 'acme', admins: ['admin'], members: ['prow-bot'], defaultRepoPermission: 'write' });
  admin = new Octokit({ baseUrl: emu.url, auth: adminToken });
  dir = await mkdtemp(join(tmpdir(), 'prow-hook-roles-'));
  await writeFile(join(dir, 'config.yaml'), 'prowjob_namespace: prow\n');
  await writeFile(join(dir, 'plugins.yaml'), 'plugins:\n  acme:\n    plugins: [assign]\n');
});

afterAll(async () => {
  await emu.close();
  await rm(dir, { recursive: true, force: true });
  for (const p of prefixes) await dropPrefix(p);
});

/** A repo of its own for each test, its webhook pointing at that test's intake alone. */
async function repoFor(name: string, intake: RunningService): Promise<void> {
  await emu.control.createRepo({ owner: 'acme', name });
  await emu.control.addWebhook({ owner: 'acme', repo: name, url: intake.webhookUrl ?? '', secret });
}

/** What `prow start hook` gives the service, with HOOK_ROLE set; every process of one test shares `redis`. */
function context(role: string, redis: RedisSettings): ServiceContext {
  const logger = memoryLogger('warn').logger;
  return {
    env: readEnv({ PORT: '0', HOOK_ROLE: role }),
    logger,
    redis,
    github: {
      client: createGitHubClient({ credentials: { kind: 'token', token: botToken }, baseUrl: emu.url, logger }),
      botLogin: 'prow-bot',
      emulated: true,
      webhookSecret: secret,
    },
    configPaths: { configPath: join(dir, 'config.yaml'), pluginConfigPath: join(dir, 'plugins.yaml') },
  };
}

function sharedRedis(label: string): RedisSettings {
  const redis = uniqueRedis(label);
  prefixes.push(redis);
  return redis;
}

/** Opens an issue on `repo` and comments `/assign` on it as admin; returns the issue's number. */
async function assignComment(repo: string): Promise<number> {
  const issue = await admin.request('POST /repos/{owner}/{repo}/issues', { owner: 'acme', repo, title: 'Needs an owner' });
  await admin.request('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', { owner: 'acme', repo, issue_number: issue.data.number, body: '/assign' });
  return issue.data.number;
}

async function assignees(repo: string, issueNumber: number): Promise<string[]> {
  const now = await admin.request('GET /repos/{owner}/{repo}/issues/{issue_number}', { owner: 'acme', repo, issue_number: issueNumber });
  return (now.data.assignees ?? []).map((a) => a.login);
}

function assigned(repo: string, issues: readonly number[]): Promise<string[][]> {
  return eventually(async () => {
    const all = await Promise.all(issues.map((n) => assignees(repo, n)));
    return all.every((a) => a.length > 0) ? all : undefined;
  }, `the assign plugin to assign the commenter on ${repo} #${issues.join(', #')}`, 15_000);
}

/**
 * Deliveries the intake has taken once the emulator has sent all it had (each answered only after its journal
 * write) and the drainer has moved them all into the events queue.
 */
async function taken(intake: RunningService): Promise<number> {
  await emu.app.emu.webhooks.idle();
  const text = await eventually(async () => {
    const t = await fetch(`${intake.url ?? ''}/metrics`).then((r) => r.text());
    return t.includes('prow_hook_intake_journal_depth 0') ? t : undefined;
  }, 'the intake journal to be drained');
  return [...text.matchAll(/^prow_hook_webhook_counter\{[^}]*\} (\d+)$/gm)].reduce((sum, m) => sum + Number(m[1]), 0);
}

describe('hook split by HOOK_ROLE', () => {
  it('takes a webhook in an intake process and runs the plugin on it in a separate workers process', async () => {
    const redis = sharedRedis('hook-roles');
    const intake = await hook.start(context('intake', redis));
    const workers = await hook.start(context('workers', redis));
    try {
      expect(workers.webhookUrl).toBeUndefined();
      await repoFor('widgets', intake);
      const issue = await assignComment('widgets');
      expect(await assigned('widgets', [issue])).toEqual([['admin']]);

      // Each process counts its own half: the intake the webhook it took, the workers the delivery they handled.
      const intakeMetrics = await fetch(`${intake.url ?? ''}/metrics`).then((r) => r.text());
      const workerMetrics = await fetch(`${workers.url ?? ''}/metrics`).then((r) => r.text());
      expect(intakeMetrics).toContain('prow_hook_webhook_counter{event_type="issue_comment"} 1');
      expect(intakeMetrics).not.toMatch(/^prow_hook_events_handled_total\{/m);
      expect(workerMetrics).toMatch(/^prow_hook_events_handled_total\{event_type="issue_comment",outcome="completed"\} 1$/m);
      expect(workerMetrics).not.toContain('prow_hook_webhook_counter');

      const health = await fetch(`${workers.url ?? ''}/healthz`);
      expect([health.status, await health.json()]).toEqual([200, { status: 'ok' }]);
    } finally {
      await workers.close();
      await intake.close();
    }
  });

  it('answers 404 to a webhook sent to a workers process, which neither journals nor handles it', async () => {
    const redis = sharedRedis('hook-roles-404');
    const workers = await hook.start(context('workers', redis));
    const queue = createQueue(redis, queueNames.events);
    try {
      const body = issueCommentBody();
      const res = await fetch(`${workers.url ?? ''}/hook`, { method: 'POST', headers: deliveryHeaders(secret, body), body });
      expect(res.status).toBe(404);
      expect((await fetch(`${workers.url ?? ''}/plugin-help`)).status).toBe(404);
      // An intake started now on the same prefix finds nothing journaled, so nothing reaches the queue.
      const intake = await hook.start(context('intake', redis));
      try {
        const depth = await fetch(`${intake.url ?? ''}/metrics`).then((r) => r.text());
        expect(depth).toContain('prow_hook_intake_journal_depth 0');
      } finally {
        await intake.close();
      }
      expect(await queue.getJobCounts('waiting', 'active', 'completed', 'failed')).toEqual({ waiting: 0, active: 0, completed: 0, failed: 0 });
    } finally {
      await queue.close();
      await workers.close();
    }
  });

  it('loses no delivery while no workers process runs, or one is closed with deliveries waiting', async () => {
    const redis = sharedRedis('hook-roles-restart');
    const intake = await hook.start(context('intake', redis));
    const queue = createQueue(redis, queueNames.events);
    let workers: RunningService | undefined = await hook.start(context('workers', redis));
    try {
      await repoFor('gadgets', intake);
      const first = await assignComment('gadgets');
      expect(await assigned('gadgets', [first])).toEqual([['admin']]);
      await workers.close();
      workers = undefined;

      // With no workers, the intake still takes deliveries (each issue opened, each comment); they wait in the queue.
      const before = await taken(intake);
      const waiting = [await assignComment('gadgets'), await assignComment('gadgets'), await assignComment('gadgets')];
      expect((await taken(intake)) - before).toBe(6);
      const queued = await queue.getJobs(['waiting']);
      expect(queued.map((j) => j.name).sort()).toEqual(['issue_comment', 'issue_comment', 'issue_comment', 'issues', 'issues', 'issues']);
      expect(await Promise.all(waiting.map((n) => assignees('gadgets', n)))).toEqual([[], [], []]);

      // A workers process closed at once, whatever it had picked up by then, and another that runs on.
      await (await hook.start(context('workers', redis))).close();
      workers = await hook.start(context('workers', redis));
      expect(await assigned('gadgets', waiting)).toEqual([['admin'], ['admin'], ['admin']]);
      // Every delivery the intake took (the assignments' own events too) completed, and none failed.
      const all = await taken(intake);
      const counts = await eventually(async () => {
        const c = await queue.getJobCounts('waiting', 'active', 'delayed', 'completed', 'failed');
        return (c.completed ?? 0) + (c.failed ?? 0) === all ? c : undefined;
      }, `all ${String(all)} deliveries handled`);
      expect(counts).toEqual({ waiting: 0, active: 0, delayed: 0, completed: all, failed: 0 });
    } finally {
      await queue.close();
      await workers?.close();
      await intake.close();
    }
  });
});
