import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Periodic, ProwConfig } from '../../lib/config/index.ts';
import { createRedisJobStore, newProwJob, type JobStore, type ProwJob, type ProwJobSpec, type ProwJobStatus } from '../../lib/jobs/index.ts';
import type { RedisSettings } from '../../lib/queue/redis.ts';
import { memoryLogger } from '../../test/helpers/memory-logger.ts';
import { dropPrefix, uniqueRedis } from '../../test/helpers/redis.ts';
import { createLocalRunner } from './runner/local-runner.ts';
import { undecoratedPlan } from './runner/local-plan.ts';
import type { Runner } from './runner/runner.ts';
import { startSinker, type Sinker } from './sinker.ts';

let settings: RedisSettings;
let jobs: JobStore;
let runner: Runner;
let sinker: Sinker | undefined;
let prowConfig: Partial<ProwConfig>;
const { logger } = memoryLogger('warn');

const minute = 60_000;
const hour = 60 * minute;
const ago = (ms: number): string => new Date(Date.now() - ms).toISOString();

function spec(job: string, type: ProwJobSpec['type']): ProwJobSpec {
  return {
    type,
    agent: 'kubernetes',
    job,
    namespace: 'test-pods',
    pod_spec: { containers: [{ name: 'test', image: 'alpine', command: ['sleep', '30'] }] },
  };
}

/** A ProwJob of `job` with the status given, not stored. */
function prowJob(job: string, type: ProwJobSpec['type'], status: Partial<ProwJobStatus>): ProwJob {
  const pj = newProwJob(spec(job, type));
  // A run needs the build id and pod name plank gives a job when it starts it.
  pj.status = { ...pj.status, build_id: '1', pod_name: pj.metadata.name, ...status };
  return pj;
}

const store = (job: string, type: ProwJobSpec['type'], status: Partial<ProwJobStatus>): Promise<ProwJob> => jobs.create(prowJob(job, type, status));

const done = (startedAgo: number, completedAgo = startedAgo - minute): Partial<ProwJobStatus> => ({
  state: 'success',
  startTime: ago(startedAgo),
  pendingTime: ago(startedAgo),
  completionTime: ago(completedAgo),
});

function periodic(name: string): Periodic {
  return { name, agent: 'kubernetes', cluster: 'default', namespace: 'test-pods', decorate: false, interval: '1h' };
}

async function begin(): Promise<Sinker> {
  sinker = await startSinker({ jobs, runner, config: () => prowConfig as ProwConfig, log: logger, resyncMs: 24 * hour });
  return sinker;
}

const names = async (): Promise<string[]> => (await jobs.list()).map((j) => j.metadata.name).sort();
const sorted = (...jobsGiven: ProwJob[]): string[] => jobsGiven.map((j) => j.metadata.name).sort();

beforeEach(async () => {
  settings = uniqueRedis('sinker');
  jobs = createRedisJobStore(settings);
  runner = await createLocalRunner({ plan: (job, dir) => undecoratedPlan(job, dir), log: logger });
  prowConfig = { periodics: [] };
});

afterEach(async () => {
  await sinker?.close();
  sinker = undefined;
  await runner.close();
  await jobs.close();
  await dropPrefix(settings);
});

describe('sinker', () => {
  it('deletes completed jobs older than max_prowjob_age (168h by default), never incomplete ones', async () => {
    const s = await begin();
    await store('old-done', 'presubmit', done(200 * hour));
    const young = await store('young-done', 'postsubmit', done(100 * hour));
    const running = await store('old-running', 'presubmit', { state: 'pending', startTime: ago(300 * hour), pendingTime: ago(300 * hour) });
    // Aborted but not yet completed by plank: still incomplete, as Prow's Complete() reads it.
    const aborting = await store('old-aborting', 'batch', { state: 'aborted', startTime: ago(300 * hour) });

    expect(await s.sync()).toEqual({ deletedJobs: { aged: 1, 'aged-periodic': 0 }, deletedRuns: { aged: 0, ttled: 0, orphaned: 0 } });
    expect(await names()).toEqual(sorted(young, running, aborting));
  });

  it('takes max_prowjob_age from the config', async () => {
    prowConfig = { periodics: [], sinker: { max_prowjob_age: '1h' } };
    const s = await begin();
    await store('two-hours', 'presubmit', done(2 * hour));
    const recent = await store('half-hour', 'presubmit', done(30 * minute));
    expect((await s.sync()).deletedJobs.aged).toBe(1);
    expect(await names()).toEqual(sorted(recent));
  });

  it('keeps the newest run of each periodic still in config, however old, and deletes the rest', async () => {
    prowConfig = { periodics: [periodic('nightly'), periodic('busy')] };
    const s = await begin();
    await store('nightly', 'periodic', done(400 * hour));
    await store('nightly', 'periodic', done(300 * hour));
    const nightlyLatest = await store('nightly', 'periodic', done(250 * hour));
    // No longer configured: nothing to keep for horologium.
    await store('retired', 'periodic', done(300 * hour));
    await store('retired', 'periodic', done(250 * hour));
    // The newest is still running, so the old finished one is not the one to keep.
    await store('busy', 'periodic', done(300 * hour));
    const busyRunning = await store('busy', 'periodic', { state: 'pending', startTime: ago(hour) });

    expect((await s.sync()).deletedJobs).toEqual({ aged: 0, 'aged-periodic': 5 });
    expect(await names()).toEqual(sorted(nightlyLatest, busyRunning));
  });

  it('removes the runs of finished jobs past max_pod_age or terminated_pod_ttl, and no others', async () => {
    prowConfig = { periodics: [], sinker: { max_pod_age: '24h', terminated_pod_ttl: '1h' } };
    const s = await begin();
    const aged = await store('aged', 'presubmit', done(25 * hour, 10 * minute));
    const ttled = await store('ttled', 'presubmit', done(3 * hour, 2 * hour));
    const running = await store('running', 'presubmit', { state: 'pending', startTime: ago(30 * hour), pendingTime: ago(30 * hour) });
    const fresh = await store('fresh', 'presubmit', done(20 * minute, 5 * minute));
    for (const job of [aged, ttled, running, fresh]) await runner.start(job);

    expect((await s.sync()).deletedRuns).toEqual({ aged: 1, ttled: 1, orphaned: 0 });
    expect((await runner.list()).sort()).toEqual(sorted(running, fresh));
    expect(await runner.phase(aged.metadata.name)).toBeUndefined();
    // The jobs themselves are young enough to stay.
    expect(await names()).toEqual(sorted(aged, ttled, running, fresh));
  });

  it('keeps a finished run until max_pod_age when terminated_pod_ttl is unset', async () => {
    prowConfig = { periodics: [], sinker: { max_pod_age: '2h' } };
    const s = await begin();
    const recentStart = await store('finished-long-ago', 'presubmit', done(90 * minute, 80 * minute));
    const overAge = await store('started-long-ago', 'presubmit', done(3 * hour, hour));
    for (const job of [recentStart, overAge]) await runner.start(job);
    expect((await s.sync()).deletedRuns).toEqual({ aged: 1, ttled: 0, orphaned: 0 });
    expect(await runner.list()).toEqual([recentStart.metadata.name]);
  });

  it('removes a run whose job is gone only when it is still gone at the next sync', async () => {
    const s = await begin();
    const orphan = prowJob('orphan', 'presubmit', { state: 'pending', startTime: ago(minute) });
    const late = prowJob('late', 'presubmit', { state: 'pending', startTime: ago(minute) });
    const owned = await store('owned', 'presubmit', { state: 'pending', startTime: ago(minute) });
    for (const job of [orphan, late, owned]) await runner.start(job);

    expect((await s.sync()).deletedRuns.orphaned).toBe(0);
    expect((await runner.list()).sort()).toEqual(sorted(orphan, late, owned));

    // The job of `late` shows up between the two syncs (a slow store, a restore): its run stays.
    await jobs.create(late);
    expect((await s.sync()).deletedRuns.orphaned).toBe(1);
    expect((await runner.list()).sort()).toEqual(sorted(late, owned));
  });

  it('removes at once the run of a job it has just deleted, whatever the run age limits', async () => {
    prowConfig = { periodics: [], sinker: { max_prowjob_age: '1h', max_pod_age: '24h' } };
    const s = await begin();
    const job = await store('short-lived', 'presubmit', done(2 * hour, 90 * minute));
    await runner.start(job);
    expect(await s.sync()).toEqual({ deletedJobs: { aged: 1, 'aged-periodic': 0 }, deletedRuns: { aged: 0, ttled: 0, orphaned: 1 } });
    expect(await runner.list()).toEqual([]);
  });

  it('cleans on its own every resync period', async () => {
    prowConfig = { periodics: [], sinker: { resync_period: '20ms' } };
    sinker = await startSinker({ jobs, runner, config: () => prowConfig as ProwConfig, log: logger });
    await store('old-done', 'presubmit', done(200 * hour));
    for (let i = 0; i < 400 && (await names()).length > 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(await names()).toEqual([]);
  });
});
