import type { Octokit } from '@octokit/rest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { octokitFor, startTestEmulator } from '../../../emulator/github/testing/test-emulator.ts';
import type { Presubmit, ProwConfig } from '../../../lib/config/index.ts';
import { createGitHubClient } from '../../../lib/github/github-client.ts';
import type { ProwOctokit } from '../../../lib/github/prow-octokit.ts';
import { newPresubmitJob, refsForPullRequest, type JobStore } from '../../../lib/jobs/index.ts';
import { createRedisJobStore } from '../../../lib/jobs/redis-job-store.ts';
import { pullRequest } from '../../../test/helpers/kubernetes-prowjobs.ts';
import { memoryLogger } from '../../../test/helpers/memory-logger.ts';
import { dropPrefix, uniqueRedis } from '../../../test/helpers/redis.ts';
import { createChangedFilesAgent } from './changed-files.ts';
import { poolJobsFromStore } from './pool-jobs.ts';
import { syncTide, type PoolView, type TideSnapshot } from './pools.ts';
import { createRepoMergeMethodsReader } from './repo-merge-methods.ts';
import { widgetsConfig } from './testing/widgets-config.ts';

/** How crier describes a passing context with the base it ran on. */
const onBase = (sha: string): string => `${'Job succeeded.'.padEnd(91, '\u2001')} BaseSHA:${sha}`;

describe('syncTide, against the emulator with acme/widgets’ Prow config', () => {
  let emu: Awaited<ReturnType<typeof startTestEmulator>>;
  let github: ProwOctokit;
  let alice: Octokit;
  let config: ProwConfig;
  let mainSha: string;
  let releaseSha: string;
  const pr: Record<string, { number: number; headSha: string }> = {};
  /** The path of every request the bot made, decoded. */
  const asked: string[] = [];
  const count = (path: RegExp): number => asked.filter((p) => path.test(p)).length;
  let blocker: number;
  const repo = { owner: 'acme', repo: 'widgets' };

  const open = async (head: string, labels: string[], files: Record<string, string>, base = 'main'): Promise<void> => {
    pr[head] = await emu.control.createPullRequest({ ...repo, author: 'alice', head, base, title: `Change ${head}`, files });
    if (labels.length > 0) await alice.rest.issues.addLabels({ ...repo, issue_number: pr[head].number, labels });
  };
  const report = async (head: string, states: Record<string, 'success' | 'pending' | 'failure'>, baseSha?: string): Promise<void> => {
    const sha = pr[head]?.headSha ?? '';
    for (const [context, state] of Object.entries(states)) {
      const description = state === 'success' && baseSha !== undefined ? onBase(baseSha) : `Job ${state}.`;
      await alice.rest.repos.createCommitStatus({ ...repo, sha, context, state, description });
    }
  };
  const pool = (snapshot: TideSnapshot, branch: string): PoolView => {
    const found = snapshot.pools.find((p) => p.branch === branch);
    if (found === undefined) throw new Error(`no pool for ${branch}`);
    return found;
  };
  const pullOf = (view: PoolView, head: string) => view.pulls.find((p) => p.pull.number === pr[head]?.number);

  beforeAll(async () => {
    emu = await startTestEmulator();
    const botToken = (await emu.control.createUser({ login: 'tide-bot' })).token;
    alice = octokitFor(emu.url, (await emu.control.createUser({ login: 'alice' })).token);
    await emu.control.createOrg({ login: 'acme', admins: ['tide-bot'], members: ['alice'], defaultRepoPermission: 'write' });
    await emu.control.createRepo({ owner: 'acme', name: 'widgets', files: { 'README.md': 'widgets\n', 'main.go': 'package main\n' } });
    await emu.control.commitFiles({ ...repo, branch: 'release-1.0', from: 'main', files: { RELEASE: '1.0' }, message: 'branch release-1.0' });
    github = createGitHubClient({ credentials: { kind: 'token', token: botToken }, logger: memoryLogger('warn').logger, baseUrl: emu.url, retries: { retries: 0 }, rateLimits: { enabled: false } }).octokit;
    github.hook.wrap('request', async (request, options) => {
      const response = await request(options);
      asked.push(decodeURIComponent(new URL(response.url).pathname));
      return response;
    });
    config = await widgetsConfig();

    await open('ready', ['lgtm', 'approved'], { 'main.go': 'package main // faster\n' });
    await open('retesting', ['lgtm', 'approved'], { 'fast.go': 'package main\n' });
    await open('no-lgtm', ['approved'], { 'other.go': 'package main\n' });
    await open('failing', ['lgtm', 'approved'], { 'broken.go': 'package main\n' });
    await open('conflict', ['lgtm', 'approved'], { 'README.md': 'widgets, by alice\n' });
    await open('external-pending', ['lgtm', 'approved'], { 'slow.go': 'package main\n' });
    await open('backport', ['lgtm', 'approved'], { 'fix.go': 'package main\n' }, 'release-1.0');
    // main moves under the conflicting PR.
    mainSha = (await emu.control.commitFiles({ ...repo, branch: 'main', files: { 'README.md': 'widgets, by the maintainers\n' }, message: 'readme' })).sha;
    releaseSha = (await github.rest.git.getRef({ ...repo, ref: 'heads/release-1.0' })).data.object.sha;

    const green = { 'external-ci': 'success', unit: 'success', e2e: 'success', gate: 'success' } as const;
    await report('ready', green, mainSha);
    await report('retesting', green);
    await report('no-lgtm', green, mainSha);
    await report('failing', { ...green, unit: 'failure' }, mainSha);
    await report('conflict', green, mainSha);
    await report('external-pending', { ...green, 'external-ci': 'pending' }, mainSha);
    await report('backport', { ...green, 'release-only': 'success' }, releaseSha);
    blocker = (await alice.rest.issues.create({ ...repo, title: 'Release freeze branch:release-1.0', labels: ['tide/merge-blocker'] })).data.number;
  });

  afterAll(async () => {
    await emu.close();
  });

  it('gives each PR its verdict and the status Tide would give it, pool by pool', async () => {
    asked.length = 0;
    const snapshot = await syncTide(github, config);
    expect(snapshot.failures).toEqual([]);
    expect(snapshot.pools.map((p) => [p.key, p.baseSha, p.error])).toEqual([
      ['acme/widgets:main', mainSha, undefined],
      ['acme/widgets:release-1.0', releaseSha, undefined],
    ]);
    // One GetRef per pool per sync.
    expect([count(/\/git\/ref\/heads\/main$/), count(/\/git\/ref\/heads\/release-1\.0$/)]).toEqual([1, 1]);

    const main = pool(snapshot, 'main');
    expect(main.blockers).toEqual([]);
    expect(main.pulls.map((p) => p.pull.number)).toEqual(['ready', 'retesting', 'failing', 'conflict', 'external-pending'].map((h) => pr[h]?.number));
    expect(pullOf(main, 'ready')).toMatchObject({
      verdict: 'eligible',
      status: { state: 'success', description: 'In merge pool.' },
      mergeMethod: 'merge',
      requiredContexts: ['e2e', 'gate', 'unit'],
    });
    // Green, but not against the current base: Tide would run its jobs again.
    expect(pullOf(main, 'retesting')).toMatchObject({ verdict: 'eligible', status: { state: 'pending', description: 'Not mergeable. Retesting: e2e gate unit' } });
    expect(pullOf(main, 'failing')).toMatchObject({
      verdict: 'own-ci-failed',
      exclusion: { kind: 'contexts', contexts: [{ context: 'unit', state: 'failure' }] },
      status: { state: 'pending', description: 'Not mergeable. Job unit has not succeeded.' },
    });
    expect(pullOf(main, 'conflict')).toMatchObject({
      verdict: 'excluded',
      exclusion: { kind: 'unmergeable', reason: 'PR has a merge conflict.' },
      status: { state: 'error', description: 'Not mergeable. PR has a merge conflict.' },
    });
    expect(pullOf(main, 'external-pending')).toMatchObject({
      verdict: 'excluded',
      status: { state: 'pending', description: 'Not mergeable. Job external-ci has not succeeded.' },
    });

    const release = pool(snapshot, 'release-1.0');
    expect(release.blockers.map((b) => b.number)).toEqual([blocker]);
    expect(release.pulls).toHaveLength(1);
    expect(pullOf(release, 'backport')).toMatchObject({
      verdict: 'eligible',
      status: { state: 'error', description: `Not mergeable. Merging is blocked by issue ${String(blocker)}.` },
      requiredContexts: ['e2e', 'gate', 'release-only', 'unit'],
    });

    expect(snapshot.outside.map((o) => [o.pull.number, o.status])).toEqual([[pr['no-lgtm']?.number, { state: 'pending', description: 'Not mergeable. Needs lgtm label.' }]]);
  });

  it('counts ProwJobs that passed on the current base, from the job store', async () => {
    const redis = uniqueRedis('tide-sync');
    const store: JobStore = createRedisJobStore(redis);
    try {
      const presubmit = (name: string): Presubmit => {
        const job = config.presubmits['acme/widgets']?.find((j) => j.name === name);
        if (job === undefined) throw new Error(`no job ${name}`);
        return job;
      };
      const retesting = pr.retesting ?? { number: 0, headSha: '' };
      const base = pullRequest('acme', 'widgets', retesting.number, 'alice');
      const refs = (sha: string) => refsForPullRequest({ ...base, head: { sha: retesting.headSha, ref: 'retesting' }, base: { ...base.base, ref: 'main' } }, sha);
      for (const [name, sha] of [['unit', mainSha], ['e2e', mainSha], ['gate', 'f'.repeat(40)]] as const) {
        const job = newPresubmitJob(presubmit(name), refs(sha));
        await store.create({ ...job, status: { ...job.status, state: 'success' } });
      }
      const jobs = poolJobsFromStore(store);
      const once = await syncTide(github, config, { jobs });
      // gate passed only on an older base.
      expect(pullOf(pool(once, 'main'), 'retesting')?.status).toEqual({ state: 'pending', description: 'Not mergeable. Retesting: gate' });
      const gate = newPresubmitJob(presubmit('gate'), refs(mainSha));
      await store.create({ ...gate, status: { ...gate.status, state: 'pending' } });
      const twice = await syncTide(github, config, { jobs });
      expect(pullOf(pool(twice, 'main'), 'retesting')?.status).toEqual({ state: 'pending', description: 'Not mergeable. Retesting: gate' });
      await store.update(gate.metadata.name, (j) => ({ ...j, status: { ...j.status, state: 'success' } }));
      const thrice = await syncTide(github, config, { jobs });
      expect(pullOf(pool(thrice, 'main'), 'retesting')?.status).toEqual({ state: 'success', description: 'In merge pool.' });
    } finally {
      await store.close();
      await dropPrefix(redis);
    }
  });

  it('reads no changed files or repo settings again when the agents are kept across syncs', async () => {
    const changedFiles = createChangedFilesAgent(github);
    const repoMethods = createRepoMergeMethodsReader(github);
    const files = /\/pulls\/\d+\/files$/;
    const settings = /^\/repos\/acme\/widgets$/;
    asked.length = 0;
    await syncTide(github, config, { changedFiles, repoMethods });
    // acme/widgets has file filters, so each PR in a pool has its files read once; the PR outside every query
    // needs only its diff to a query, no files.
    expect([count(files), count(settings)]).toEqual([6, 1]);
    asked.length = 0;
    const again = await syncTide(github, config, { changedFiles, repoMethods });
    expect([count(files), count(settings)]).toEqual([0, 0]);
    expect(pool(again, 'main').pulls).toHaveLength(5);
  });

  it('leaves a pool unjudged, not the sync, when its base cannot be read', async () => {
    await emu.control.faults({ method: 'GET', pathPrefix: '/repos/acme/widgets/git/ref/heads%2Frelease-1.0', status: 502, count: 1 });
    const snapshot = await syncTide(github, config, { outside: false });
    const release = pool(snapshot, 'release-1.0');
    expect([release.pulls, typeof release.error]).toEqual([[], 'string']);
    expect(pool(snapshot, 'main').pulls).toHaveLength(5);
    expect(snapshot.outside).toEqual([]);
  });
});
