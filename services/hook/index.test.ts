import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Octokit } from '@octokit/core';
import { startEmulator, type RunningEmulator } from '../../emulator/github/index.ts';
import { readEnv } from '../../lib/env.ts';
import { createQueue } from '../../lib/queue/bullmq.ts';
import { queueNames } from '../../lib/queue/names.ts';
import type { StaleSweepJob } from '../../plugins/lifecycle/stale-sweeper.ts';
import { isProwError } from '../../lib/errors.ts';
import { createGitHubClient } from '../../lib/github/github-client.ts';
import { createRedisJobStore } from '../../lib/jobs/redis-job-store.ts';
import type { RedisSettings } from '../../lib/queue/redis.ts';
import { memoryLogger } from '../../test/helpers/memory-logger.ts';
import { dropPrefix, uniqueRedis } from '../../test/helpers/redis.ts';
import type { ServiceContext } from '../service.ts';
import { hook } from './index.ts';
import { eventually } from './testing/signed-delivery.ts';

const secret = 'service-test-secret';
let emu: RunningEmulator;
let dir: string;
let redis: RedisSettings;
let tokens: Record<string, string>;

beforeAll(async () => {
  emu = await startEmulator({ logger: memoryLogger('warn').logger });
  tokens = {};
  for (const login of ['admin', 'prow-bot']) tokens[login] = (await emu.control.createUser({ login })).token;
  await emu.control.createOrg({ login: 'acme', admins: ['admin'], members: ['prow-bot'], defaultRepoPermission: 'write' });
  await emu.control.createRepo({ owner: 'acme', name: 'widgets' });
  dir = await mkdtemp(join(tmpdir(), 'prow-hook-svc-'));
  await writeFile(join(dir, 'config.yaml'), 'prowjob_namespace: prow\n');
  await writeFile(join(dir, 'plugins.yaml'), 'plugins:\n  acme:\n    plugins: [assign]\n');
  await writeFile(join(dir, 'bad.yaml'), 'prowjob_namespace: prow\nnot_a_prow_key: 1\n');
  await writeFile(join(dir, 'jobs.yaml'), 'prowjob_namespace: prow\npostsubmits:\n  acme/widgets:\n  - name: post-build\n    spec: { containers: [{ image: golang }] }\n');
  await writeFile(join(dir, 'trigger-plugins.yaml'), 'plugins:\n  acme/widgets: [trigger]\n');
  redis = uniqueRedis('hook-svc');
});

afterAll(async () => {
  await emu.close();
  await rm(dir, { recursive: true, force: true });
  await dropPrefix(redis);
});

function context(over: { webhookSecret?: string; configPath?: string; pluginConfigPath?: string; env?: NodeJS.ProcessEnv } = {}): ServiceContext {
  const logger = memoryLogger('warn').logger;
  return {
    env: readEnv({ PORT: '0', ...over.env }),
    logger,
    redis,
    github: {
      client: createGitHubClient({ credentials: { kind: 'token', token: tokens['prow-bot'] ?? '' }, baseUrl: emu.url, logger }),
      botLogin: 'prow-bot',
      emulated: true,
      webhookSecret: over.webhookSecret ?? secret,
    },
    configPaths: { configPath: over.configPath ?? join(dir, 'config.yaml'), pluginConfigPath: over.pluginConfigPath ?? join(dir, 'plugins.yaml') },
  };
}

async function refusal(start: Promise<unknown>): Promise<unknown> {
  try {
    await start;
  } catch (err) {
    return err;
  }
  return undefined;
}

describe('hook service', () => {
  it('takes a real webhook from GitHub through intake, queue and workers to the plugin acting on GitHub', async () => {
    const running = await hook.start(context());
    try {
      expect(running.webhookUrl).toBe(`${running.url ?? ''}/hook`);
      await emu.control.addWebhook({ owner: 'acme', url: running.webhookUrl ?? '', secret });
      const admin = new Octokit({ baseUrl: emu.url, auth: tokens.admin });
      const issue = await admin.request('POST /repos/{owner}/{repo}/issues', { owner: 'acme', repo: 'widgets', title: 'Something is off' });
      await admin.request('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', { owner: 'acme', repo: 'widgets', issue_number: issue.data.number, body: '/assign' });
      const assignees = await eventually(async () => {
        const now = await admin.request('GET /repos/{owner}/{repo}/issues/{issue_number}', { owner: 'acme', repo: 'widgets', issue_number: issue.data.number });
        const logins = (now.data.assignees ?? []).map((a) => a.login);
        return logins.length > 0 ? logins : undefined;
      }, 'the assign plugin to assign the commenter', 15_000);
      expect(assignees).toEqual(['admin']);
      const metrics = await fetch(`${running.url ?? ''}/metrics`).then((r) => r.text());
      expect(metrics).toContain('prow_hook_webhook_counter{event_type="issue_comment"} 1');
    } finally {
      await running.close();
    }
  });

  it("gives plugins hook's job store: a push reaches trigger, whose ProwJob lands in Redis under hook's prefix", async () => {
    const running = await hook.start(context({ configPath: join(dir, 'jobs.yaml'), pluginConfigPath: join(dir, 'trigger-plugins.yaml') }));
    const jobs = createRedisJobStore(redis);
    try {
      await emu.control.addWebhook({ owner: 'acme', repo: 'widgets', url: running.webhookUrl ?? '', secret });
      const { sha } = await emu.control.commitFiles({ owner: 'acme', repo: 'widgets', branch: 'main', files: { 'src/a.go': 'package a\n' }, message: 'code' });
      const created = await eventually(async () => {
        const found = (await jobs.list()).filter((j) => j.spec.refs?.base_sha === sha);
        return found.length > 0 ? found : undefined;
      }, 'trigger to create the postsubmit', 15_000);
      expect(created.map((j) => [j.spec.type, j.spec.job, j.metadata.namespace])).toEqual([['postsubmit', 'post-build', 'prow']]);
    } finally {
      await jobs.close();
      await running.close();
    }
  });

  it('schedules stale aging for the repos STALE_REPOS names, and sweeps them', async () => {
    const admin = new Octokit({ baseUrl: emu.url, auth: tokens.admin });
    const { data: old } = await admin.request('POST /repos/{owner}/{repo}/issues', { owner: 'acme', repo: 'widgets', title: 'Nobody looked at this' });
    const issue = emu.state.repoByName('acme', 'widgets')?.issues.get(old.number);
    if (!issue) throw new Error('no such issue in the emulator');
    issue.updatedAt = new Date(Date.now() - 100 * 86_400_000).toISOString();

    const running = await hook.start(context({ env: { STALE_REPOS: 'acme/widgets', STALE_DRY_RUN: 'true', STALE_EVERY: '6h' } }));
    const queue = createQueue<StaleSweepJob>(redis, queueNames.staleSweep);
    try {
      const schedulers = await queue.getJobSchedulers();
      expect(schedulers.map((s) => [s.key, s.every, s.template?.data?.dryRun])).toEqual([['acme/widgets', 6 * 3_600_000, true]]);
      // The first sweep runs at once; in a dry run it lists what it would do and changes nothing.
      const actions = await eventually(async () => {
        const [done] = await queue.getJobs(['completed']);
        return done?.returnvalue as { step: string; number: number }[] | undefined;
      }, 'the first stale sweep to complete', 15_000);
      expect(actions.map((a) => [a.step, a.number])).toEqual([['stale', old.number]]);
      const labels = await admin.request('GET /repos/{owner}/{repo}/issues/{issue_number}/labels', { owner: 'acme', repo: 'widgets', issue_number: old.number });
      expect(labels.data).toEqual([]);
    } finally {
      await queue.close();
      await running.close();
    }
  });

  it('refuses to start with a malformed webhook secret', async () => {
    const err = await refusal(hook.start(context({ webhookSecret: 'acme:\n  - created_at: 2020-01-01\n' })));
    expect(isProwError(err, 'PROW_ERR_WEBHOOK_SECRET_INVALID')).toBe(true);
  });

  it('refuses to start on a configuration with errors', async () => {
    const err = await refusal(hook.start(context({ configPath: join(dir, 'bad.yaml') })));
    expect(isProwError(err, 'PROW_ERR_CONFIG_INVALID')).toBe(true);
  });
});
