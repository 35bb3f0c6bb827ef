import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Octokit } from '@octokit/rest';
import { octokitFor, startTestEmulator } from '../../../emulator/github/testing/test-emulator.ts';
import { loadConfigOrThrow, type ProwConfig } from '../../../lib/config/index.ts';
import { createGitHubClient } from '../../../lib/github/github-client.ts';
import { createRedisJobStore, labelsAndAnnotationsFor, type JobStore, type ProwJob, type ProwJobSpec, type ProwJobState } from '../../../lib/jobs/index.ts';
import { createRedis } from '../../../lib/queue/redis.ts';
import { DirStore, type ObjectStore } from '../../../lib/storage/index.ts';
import { parseWebhookSecret } from '../../../lib/webhooks/webhook-secrets.ts';
import { openBuildDestination, uploadBuild } from '../../../pod-utils/upload.ts';
import { plugins } from '../../../plugins/index.ts';
import { memoryLogger } from '../../../test/helpers/memory-logger.ts';
import { dropPrefix, uniqueRedis } from '../../../test/helpers/redis.ts';
import { buildHookApp } from '../../hook/app.ts';
import { createTideApp } from '../../tide/app.ts';
import { PoolStore } from '../../tide/pool-store.ts';
import type { PoolJson } from '../../tide/pools-json.ts';
import { buildTestgridApp, type TestgridAppDeps } from '../app.ts';
import { helpOverHttp } from '../api/command-help.ts';
import { tideOverHttp } from '../api/merge-queue.ts';
import { prDashboardFrom } from '../api/pr-dashboard.ts';

/** The name every page must show as text, never as an element. */
export const xssName = '<img src=x onerror=alert(1)>';

/** Bytes per log piece in the world: small, so the long log takes several pieces. */
export const worldPieceBytes = 4096;

const config = `prowjob_namespace: prow
pod_namespace: test-pods
presubmits:
  acme/widgets:
  - name: unit
    always_run: true
    spec: {containers: [{image: alpine}]}
  - name: docs
    run_if_changed: '^docs/'
    spec: {containers: [{image: alpine}]}
tide:
  queries:
  - repos: [acme/widgets]
    labels: [lgtm, approved]
    missingLabels: [do-not-merge/hold, needs-rebase, needs-ok-to-test]
`;

const pluginsYaml = `plugins:
  acme:
    plugins: [lgtm, approve, hold, trigger]
  acme/widgets:
    plugins: [size]
`;

/** A build as the world uploads it: the job's files, written by pod-utils' upload step. */
interface BuildFiles {
  log?: string;
  junit?: string;
  passed?: boolean;
}

/** Everything the dashboard's tests read, all real: Redis jobs, a directory store, Tide and hook apps, the GitHub emulator. */
export interface UiWorld {
  app: FastifyInstance;
  deps: TestgridAppDeps;
  jobs: JobStore;
  store: ObjectStore;
  storageDir: string;
  config: ProwConfig;
  /** The world's ProwJobs by a short name. */
  job: Record<string, ProwJob>;
  /** The emulator's PR numbers by a short name. */
  pr: Record<string, number>;
  tideUrl: string;
  hookUrl: string;
  alice: Octokit;
  close(): Promise<void>;
}

const bucketConfig = { bucket: 'prow-artifacts', path_strategy: 'explicit' as const };

function prowJob(name: string, spec: Omit<ProwJobSpec, 'agent'>, state: ProwJobState, buildId: string, startMinutesAgo: number): ProwJob {
  const full: ProwJobSpec = { ...spec, agent: 'kubernetes', decoration_config: { gcs_configuration: bucketConfig } };
  const start = new Date(Date.UTC(2026, 0, 15, 12, 0, 0) - startMinutesAgo * 60_000);
  const done = state === 'success' || state === 'failure' || state === 'aborted' || state === 'error';
  return {
    apiVersion: 'prow.k8s.io/v1',
    kind: 'ProwJob',
    metadata: { name, ...labelsAndAnnotationsFor(full) },
    spec: full,
    status: {
      startTime: start.toISOString(),
      ...(done ? { completionTime: new Date(start.getTime() + 95_000).toISOString() } : {}),
      state,
      build_id: buildId,
      description: `Job ${state}.`,
    },
  };
}

const pullRefs = (number: number, author: string, sha: string): NonNullable<ProwJobSpec['refs']> => ({
  org: 'acme',
  repo: 'widgets',
  base_ref: 'main',
  base_sha: 'b'.repeat(40),
  pulls: [{ number, author, sha, link: `https://github.com/acme/widgets/pull/${String(number)}` }],
});

/** A log of `lines` lines with failure lines spread through it. */
export function longLog(lines: number): string {
  const out: string[] = [];
  for (let i = 1; i <= lines; i++) {
    if (i % 250 === 0 || i === 40) out.push(`--- FAIL: TestWidget${String(i)} (0.01s)`);
    else if (i % 333 === 0) out.push(`ERROR: widget ${String(i)} did not fit`);
    else out.push(`I0115 12:00:00.000 step ${String(i)}: building widgets and gadgets`);
  }
  return `${out.join('\n')}\n`;
}

const junitXml = (failing: string): string => `<?xml version="1.0" encoding="UTF-8"?>
<testsuites><testsuite name="widgets" tests="3" failures="1">
<testcase name="TestFits" classname="widgets" time="0.25"/>
<testcase name="${failing.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')}" classname="widgets" time="1.5"><failure message="boom">widget_test.go:12: expected 3 widgets, got 2</failure></testcase>
<testcase name="TestSkipped" classname="widgets"><skipped/></testcase>
</testsuite></testsuites>`;

async function upload(storageDir: string, job: ProwJob, files: BuildFiles): Promise<void> {
  const spec = { type: job.spec.type, job: job.spec.job, buildid: job.status.build_id ?? '', prowjobid: job.metadata.name, ...(job.spec.refs === undefined ? {} : { refs: job.spec.refs }) };
  const options = { bucket: storageDir, path_strategy: 'explicit' as const };
  const dest = await openBuildDestination(spec, options);
  const started = Math.floor(Date.parse(job.status.startTime) / 1000);
  const targets = new Map<string, { text: string }>([
    ['started.json', { text: JSON.stringify({ timestamp: started, pull: String(job.spec.refs?.pulls?.[0]?.number ?? ''), repos: { 'acme/widgets': 'main:bbbb' } }) }],
    ['prowjob.json', { text: JSON.stringify(job, null, 2) }],
  ]);
  if (files.log !== undefined) targets.set('build-log.txt', { text: files.log });
  if (files.junit !== undefined) targets.set('artifacts/junit_01.xml', { text: files.junit });
  if (files.passed !== undefined) targets.set('finished.json', { text: JSON.stringify({ timestamp: started + 95, passed: files.passed, result: files.passed ? 'SUCCESS' : 'FAILURE', revision: job.spec.refs?.pulls?.[0]?.sha }) });
  await uploadBuild(dest, options, { targets });
  await dest.store?.close();
}

/** Tide's `GET /` for acme/widgets:main with one train testing PR `ready`. */
function pools(pr: Record<string, number>): PoolJson[] {
  const ready = pr.ready ?? 0;
  const c = { NameWithOwner: 'acme/widgets', Number: ready, Org: 'acme', Repo: 'widgets', BaseRefName: 'main', HeadRefName: 'ready', HeadRefOID: 'c'.repeat(40), Title: xssName, Body: '', AuthorLogin: 'alice', UpdatedAt: '2026-01-15T11:00:00Z', Mergeable: 'MERGEABLE', CanBeRebased: true };
  return [
    {
      Org: 'acme', Repo: 'widgets', Branch: 'main', SuccessPRs: [], PendingPRs: [c], MissingPRs: [], BatchPending: [c], Action: 'TRIGGER', Target: [c], Blockers: [], Error: '', TenantIDs: [], BaseSHA: 'b'.repeat(40),
      Queue: [{ Number: ready, Position: 1, Priority: 0, Since: '2026-01-15T11:30:00.000Z', Train: 't-1' }],
      Trains: [{ ID: 't-1', Parent: undefined, Batch: [ready], Members: [ready], State: 'testing', Check: undefined, SHA: 'd'.repeat(40), StartedAt: '2026-01-15T11:31:00.000Z', Jobs: { unit: { State: 'pending', Attempts: 1 } } }],
      Held: [], Window: 3, Estimates: { Failure: 0.1, Flake: 0.02 },
    },
  ];
}

/** Starts the world and the dashboard app over it (not listening; tests inject or listen on port 0). */
export async function startUiWorld(): Promise<UiWorld> {
  const logs = memoryLogger('warn');
  const redis = uniqueRedis('testgrid-ui');
  const jobs = createRedisJobStore(redis);
  const tmp = await mkdtemp(join(tmpdir(), 'testgrid-ui-'));
  const storageDir = join(tmp, 'storage');
  await writeFile(join(tmp, 'config.yaml'), config);
  await writeFile(join(tmp, 'plugins.yaml'), pluginsYaml);
  const loaded = await loadConfigOrThrow({ configPath: join(tmp, 'config.yaml'), pluginConfigPath: join(tmp, 'plugins.yaml'), implementedPlugins: plugins.map((p) => p.name) });

  const emu = await startTestEmulator();
  const botToken = (await emu.control.createUser({ login: 'prow-bot' })).token;
  const alice = octokitFor(emu.url, (await emu.control.createUser({ login: 'alice' })).token);
  const bob = octokitFor(emu.url, (await emu.control.createUser({ login: 'bob' })).token);
  await emu.control.createOrg({ login: 'acme', admins: ['prow-bot'], members: ['alice', 'bob'], defaultRepoPermission: 'write' });
  await emu.control.createRepo({ owner: 'acme', name: 'widgets', files: { 'README.md': 'widgets\n' } });
  const repo = { owner: 'acme', repo: 'widgets' };
  const pr: Record<string, number> = {};
  const open = async (key: string, author: string, title: string, labels: string[], unit: 'success' | 'failure' | undefined, files: Record<string, string> = { [`${key}.txt`]: key }): Promise<void> => {
    const made = await emu.control.createPullRequest({ ...repo, author, head: key, title, files });
    pr[key] = made.number;
    if (labels.length > 0) await alice.rest.issues.addLabels({ ...repo, issue_number: made.number, labels });
    if (unit !== undefined) await alice.rest.repos.createCommitStatus({ ...repo, sha: made.headSha, context: 'unit', state: unit });
  };
  await open('failing', 'alice', xssName, ['lgtm'], 'failure');
  await open('held', 'alice', 'Hold this one', ['lgtm', 'approved', 'do-not-merge/hold'], 'success');
  await open('ready', 'alice', 'Ready to merge', ['lgtm', 'approved'], 'success');
  await open('conflict', 'alice', 'Change the README', ['lgtm', 'approved'], 'success', { 'README.md': 'widgets, changed by the PR\n' });
  await open('outsider', 'bob', 'First contribution', ['needs-ok-to-test'], undefined);
  await bob.rest.pulls.requestReviewers({ ...repo, pull_number: pr.outsider ?? 0, reviewers: ['alice'] });
  await emu.control.commitFiles({ ...repo, branch: 'main', files: { 'README.md': 'widgets, changed on main\n' }, message: 'main moves on' });

  const job: Record<string, ProwJob> = {
    unitOld: prowJob('unit-old', { type: 'presubmit', job: 'pull-widgets-unit', refs: pullRefs(7, 'alice', 'a'.repeat(40)) }, 'failure', '101', 60),
    unitNew: prowJob('unit-new', { type: 'presubmit', job: 'pull-widgets-unit', refs: pullRefs(7, 'alice', 'a'.repeat(40)) }, 'success', '102', 30),
    lint: prowJob('lint', { type: 'presubmit', job: 'pull-widgets-lint', refs: pullRefs(7, 'alice', 'a'.repeat(40)) }, 'pending', '103', 20),
    bobs: prowJob('bobs', { type: 'presubmit', job: 'pull-widgets-unit', refs: pullRefs(8, 'bob', 'e'.repeat(40)) }, 'failure', '104', 10),
    xss: prowJob('xss', { type: 'periodic', job: xssName }, 'failure', '105', 5),
    post: prowJob('post', { type: 'postsubmit', job: 'post-widgets-push', refs: { org: 'acme', repo: 'widgets', base_ref: 'main', base_sha: 'f'.repeat(40) } }, 'success', '106', 40),
  };
  for (const j of Object.values(job)) await jobs.create(j);
  const must = (j: ProwJob | undefined): ProwJob => {
    if (j === undefined) throw new Error('the world lost a job');
    return j;
  };
  await upload(storageDir, must(job.unitOld), { log: longLog(3000), junit: junitXml('TestWidgetCount'), passed: false });
  await upload(storageDir, must(job.unitNew), { log: 'ok\n', passed: true });
  await upload(storageDir, must(job.xss), { log: `${xssName}\nERROR: ${xssName}\n`, junit: junitXml(xssName), passed: false });
  const store = new DirStore(storageDir);

  const tideRedis = createRedis(redis, 'testgrid-ui-test-tide');
  const poolStore = new PoolStore(tideRedis, redis);
  await poolStore.saveView(pools(pr));
  await poolStore.record('acme/widgets:main', { time: '2026-01-15T11:00:00Z', action: 'MERGE', baseSHA: 'b'.repeat(40), target: [{ number: pr.held ?? 0, author: 'alice', sha: 'c'.repeat(40), title: xssName }] });
  await poolStore.record('acme/widgets:main', { time: '2026-01-15T11:31:00Z', action: 'TRIGGER', baseSHA: 'b'.repeat(40), target: [{ number: pr.ready ?? 0, author: 'alice', sha: 'c'.repeat(40), title: 'Ready to merge' }] });
  await poolStore.record('acme/gadgets:main', { time: '2026-01-15T10:00:00Z', action: 'MERGE_BATCH', baseSHA: '1'.repeat(40), target: [{ number: 3, author: 'bob', sha: '2'.repeat(40), title: 'Gadget' }] });
  const tideApp = createTideApp({ logger: logs.logger, store: poolStore, secrets: parseWebhookSecret('secret'), nudge: () => undefined });
  await tideApp.listen({ port: 0, host: '127.0.0.1' });
  const hookApp = buildHookApp({ logger: logs.logger, redis, secrets: parseWebhookSecret('secret'), pluginConfig: () => loaded.plugins });
  await hookApp.listen({ port: 0, host: '127.0.0.1' });
  const urlOf = (a: FastifyInstance): string => {
    const address = a.server.address();
    return `http://127.0.0.1:${String(typeof address === 'object' && address !== null ? address.port : 0)}`;
  };
  const tideUrl = urlOf(tideApp);
  const hookUrl = urlOf(hookApp);

  const github = createGitHubClient({ credentials: { kind: 'token', token: botToken }, logger: logs.logger, baseUrl: emu.url, retries: { retries: 0 }, rateLimits: { enabled: false } });
  const tide = tideOverHttp(tideUrl);
  const deps: TestgridAppDeps = {
    logger: logs.logger,
    jobs,
    stores: () => Promise.resolve(store),
    tide,
    help: helpOverHttp(hookUrl),
    prs: prDashboardFrom({ github: github.octokit, config: () => loaded.config, webBaseUrl: emu.url, tide, log: logs.logger }),
    logPieceBytes: worldPieceBytes,
  };
  const app = buildTestgridApp(deps);
  return {
    app,
    deps,
    jobs,
    store,
    storageDir,
    config: loaded.config,
    job,
    pr,
    tideUrl,
    hookUrl,
    alice,
    async close() {
      await app.close();
      await tideApp.close();
      await hookApp.close();
      await jobs.close();
      await store.close();
      tideRedis.disconnect();
      await emu.close();
      await dropPrefix(redis);
      await rm(tmp, { recursive: true, force: true });
    },
  };
}
