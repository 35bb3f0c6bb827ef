import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Periodic, ProwConfig } from '../../lib/config/index.ts';
import { createRedisJobStore, newPeriodicJob, type JobStore, type ProwJob, type ProwJobStatus } from '../../lib/jobs/index.ts';
import type { RedisSettings } from '../../lib/queue/redis.ts';
import { memoryLogger } from '../../test/helpers/memory-logger.ts';
import { prowJobSchemaErrors } from '../../test/helpers/prowjob-crd.ts';
import { dropPrefix, uniqueRedis } from '../../test/helpers/redis.ts';
import { reRunLabel, startHorologium, successorName, type Horologium } from './horologium.ts';

let settings: RedisSettings;
let jobs: JobStore;
let prowConfig: Partial<ProwConfig>;
let clock: Date;
const started: Horologium[] = [];
const extraStores: JobStore[] = [];

const minute = 60_000;
const hour = 60 * minute;
const ago = (msAgo: number): string => new Date(clock.getTime() - msAgo).toISOString();

function periodic(name: string, over: Partial<Periodic>): Periodic {
  return {
    name,
    agent: 'kubernetes',
    cluster: 'default',
    namespace: 'test-pods',
    decorate: false,
    labels: { team: 'infra' },
    spec: { containers: [{ image: 'alpine', command: ['true'] }] },
    ...over,
  };
}

function configure(...periodics: Periodic[]): void {
  prowConfig = { periodics, prowjob_namespace: 'prow-jobs' };
}

async function begin(store: JobStore = jobs, log = memoryLogger('warn').logger): Promise<Horologium> {
  const h = await startHorologium({ jobs: store, config: () => prowConfig as ProwConfig, log, now: () => clock, tickMs: 24 * hour });
  started.push(h);
  return h;
}

/** Stores a past run of `p` with the status given. */
async function seed(p: Periodic, status: Partial<ProwJobStatus>, labels: Record<string, string> = {}): Promise<ProwJob> {
  const job = newPeriodicJob(p, { labels });
  job.status = { ...job.status, ...status };
  return jobs.create(job);
}

async function runsOf(name: string): Promise<ProwJob[]> {
  return (await jobs.list()).filter((j) => j.spec.job === name);
}

/** The runs of `name` made after `seeded`. */
async function newRuns(name: string, seeded: readonly ProwJob[]): Promise<ProwJob[]> {
  const old = new Set(seeded.map((j) => j.metadata.name));
  return (await runsOf(name)).filter((j) => !old.has(j.metadata.name));
}

async function finish(job: ProwJob, state: 'success' | 'failure', completionTime = clock.toISOString()): Promise<void> {
  await jobs.update(job.metadata.name, (j) => ({ ...j, status: { ...j.status, state, completionTime } }));
}

beforeEach(() => {
  settings = uniqueRedis('horologium');
  jobs = createRedisJobStore(settings);
  clock = new Date('2026-03-02T10:30:00.000Z');
  configure();
});

afterEach(async () => {
  for (const h of started.splice(0)) await h.close();
  for (const s of extraStores.splice(0)) await s.close();
  await jobs.close();
  await dropPrefix(settings);
});

describe('horologium', () => {
  it('starts a periodic that never ran at once, as Prow builds it, and only once while it runs', async () => {
    configure(periodic('nightly', { interval: '24h', annotations: { 'testgrid-dashboards': 'infra' } }));
    const h = await begin();
    const [run, ...more] = await runsOf('nightly');
    expect(more).toEqual([]);
    expect(run?.metadata).toMatchObject({
      name: successorName('nightly', undefined),
      namespace: 'prow-jobs',
      labels: { 'created-by-prow': 'true', 'prow.k8s.io/type': 'periodic', 'prow.k8s.io/job': 'nightly', team: 'infra' },
      annotations: { 'prow.k8s.io/job': 'nightly', 'testgrid-dashboards': 'infra' },
    });
    expect(run?.spec).toMatchObject({ type: 'periodic', job: 'nightly', namespace: 'test-pods', cluster: 'default' });
    expect(run?.status).toEqual({ state: 'triggered', startTime: clock.toISOString() });
    expect(prowJobSchemaErrors(run)).toEqual([]);

    clock = new Date(clock.getTime() + 48 * hour);
    expect(await h.tick()).toMatchObject({ triggered: 0, notDue: 1 });
    expect(await runsOf('nightly')).toHaveLength(1);
  });

  it('runs an interval periodic once the latest run is complete and the interval has passed since it started', async () => {
    const p = periodic('hourly', { interval: '1h' });
    configure(p);
    const recent = await seed(p, { state: 'success', startTime: ago(50 * minute), completionTime: ago(40 * minute) });
    const h = await begin();
    expect(await newRuns('hourly', [recent])).toEqual([]);

    clock = new Date(clock.getTime() + 11 * minute);
    expect(await h.tick()).toMatchObject({ triggered: 1 });
    const [next] = await newRuns('hourly', [recent]);
    expect(next?.metadata.name).toBe(successorName('hourly', recent.metadata.name));
    expect(next?.metadata.labels[reRunLabel]).toBeUndefined();
  });

  it('does not start an interval periodic while its latest run is still going, however old', async () => {
    const p = periodic('slow', { interval: '1h' });
    configure(p);
    const older = await seed(p, { state: 'success', startTime: ago(30 * hour), completionTime: ago(29 * hour) });
    const running = await seed(p, { state: 'pending', startTime: ago(5 * hour), pendingTime: ago(5 * hour) });
    const h = await begin();
    expect(await newRuns('slow', [older, running])).toEqual([]);

    await finish(running, 'failure');
    expect(await h.tick()).toMatchObject({ triggered: 1 });
    expect((await newRuns('slow', [older, running]))[0]?.metadata.name).toBe(successorName('slow', running.metadata.name));
  });

  it('counts minimum_interval from the completion of the latest run', async () => {
    const p = periodic('spaced', { minimum_interval: '30m' });
    configure(p);
    const last = await seed(p, { state: 'success', startTime: ago(3 * hour), completionTime: ago(20 * minute) });
    const h = await begin();
    expect(await newRuns('spaced', [last])).toEqual([]);

    clock = new Date(clock.getTime() + 9 * minute);
    expect(await h.tick()).toMatchObject({ triggered: 0, notDue: 1 });
    clock = new Date(clock.getTime() + 2 * minute);
    expect(await h.tick()).toMatchObject({ triggered: 1 });
  });

  it('starts a cron periodic when its schedule fires, and drops a firing that comes while the last run runs', async () => {
    const p = periodic('on-the-hour', { cron: '0 * * * *' });
    configure(p);
    const h = await begin(); // 10:30: no firing yet, so no first run either
    expect(await runsOf('on-the-hour')).toEqual([]);

    clock = new Date('2026-03-02T10:59:00Z');
    expect(await h.tick()).toMatchObject({ triggered: 0, cronNotQueued: 1 });

    clock = new Date('2026-03-02T11:00:20Z');
    expect(await h.tick()).toMatchObject({ triggered: 1 });
    const [first] = await runsOf('on-the-hour');
    if (first === undefined) throw new Error('no run');
    await jobs.update(first.metadata.name, (j) => ({ ...j, status: { ...j.status, state: 'pending' } }));

    clock = new Date('2026-03-02T12:00:10Z');
    expect(await h.tick()).toMatchObject({ triggered: 0, notDue: 1 });
    await finish(first, 'success');
    clock = new Date('2026-03-02T12:30:00Z');
    expect(await h.tick()).toMatchObject({ triggered: 0, cronNotQueued: 1 });
    expect(await runsOf('on-the-hour')).toHaveLength(1);

    clock = new Date('2026-03-02T13:00:05Z');
    expect(await h.tick()).toMatchObject({ triggered: 1 });
    const runs = await runsOf('on-the-hour');
    expect(runs.map((j) => j.status.startTime)).toEqual(['2026-03-02T11:00:20.000Z', '2026-03-02T13:00:05.000Z']);
  });

  it('fires an @every periodic as soon as it is scheduled, then every period', async () => {
    const p = periodic('every', { cron: '@every 2h' });
    configure(p);
    const last = await seed(p, { state: 'success', startTime: ago(10 * minute), completionTime: ago(5 * minute) });
    const h = await begin();
    const [run] = await newRuns('every', [last]);
    expect(run?.metadata.name).toBe(successorName('every', last.metadata.name));
    if (run === undefined) throw new Error('no run');
    await finish(run, 'success');

    clock = new Date(clock.getTime() + hour);
    expect(await h.tick()).toMatchObject({ triggered: 0, cronNotQueued: 1 });
    clock = new Date(clock.getTime() + hour);
    expect(await h.tick()).toMatchObject({ triggered: 1 });
  });

  it('reschedules a cron periodic whose cron changed, and logs a cron that does not parse once', async () => {
    const memory = memoryLogger('warn');
    configure(periodic('changing', { cron: '0 12 * * *' }), periodic('broken', { cron: '0 0 31 13 *' }));
    const h = await begin(jobs, memory.logger);
    configure(periodic('changing', { cron: '45 10 * * *' }), periodic('broken', { cron: '0 0 31 13 *' }));
    clock = new Date('2026-03-02T10:40:00Z');
    await h.tick();
    clock = new Date('2026-03-02T10:46:00Z');
    expect(await h.tick()).toMatchObject({ triggered: 1 });
    expect((await runsOf('changing'))[0]?.status.startTime).toBe('2026-03-02T10:46:00.000Z');
    expect(await runsOf('broken')).toEqual([]);
    const errors = memory.lines.filter((l) => l.level === 50);
    expect(errors.map((l) => [l.msg, l.job])).toEqual([['cron periodic is not scheduled: its cron does not parse', 'broken']]);
  });

  it('retries a failed run after retry.interval, counting attempts in the re-run label, up to retry.attempts', async () => {
    const p = periodic('flaky', { interval: '24h', retry: { attempts: 2, interval: '10m' } });
    configure(p);
    const failed = await seed(p, { state: 'failure', startTime: ago(8 * minute), completionTime: ago(5 * minute) });
    const h = await begin();
    expect(await newRuns('flaky', [failed])).toEqual([]);

    clock = new Date(clock.getTime() + 3 * minute);
    expect(await h.tick()).toMatchObject({ triggered: 1 });
    const [retry1] = await newRuns('flaky', [failed]);
    if (retry1 === undefined) throw new Error('no retry');
    expect(retry1.metadata.labels).toMatchObject({ [reRunLabel]: '1', team: 'infra' });

    await finish(retry1, 'failure');
    clock = new Date(clock.getTime() + 11 * minute);
    await h.tick();
    const [retry2] = await newRuns('flaky', [failed, retry1]);
    if (retry2 === undefined) throw new Error('no second retry');
    expect(retry2.metadata.labels[reRunLabel]).toBe('2');

    // Attempts used up: nothing until the interval.
    await finish(retry2, 'failure');
    clock = new Date(clock.getTime() + hour);
    expect(await h.tick()).toMatchObject({ triggered: 0, notDue: 1 });
  });

  it('does not retry a success unless run_all, and with run_all retries even a run still going', async () => {
    const calm = periodic('calm', { interval: '24h', retry: { attempts: 3, interval: '10m' } });
    const eager = periodic('eager', { interval: '24h', retry: { attempts: 3, interval: '10m', run_all: true } });
    const busy = periodic('busy', { interval: '24h', retry: { attempts: 3, interval: '10m', run_all: true } });
    configure(calm, eager, busy);
    const seeded = [
      await seed(calm, { state: 'success', startTime: ago(hour), completionTime: ago(50 * minute) }),
      await seed(eager, { state: 'success', startTime: ago(hour), completionTime: ago(50 * minute) }),
      await seed(busy, { state: 'pending', startTime: ago(hour) }),
    ];
    await begin();
    expect(await newRuns('calm', seeded)).toEqual([]);
    expect((await newRuns('eager', seeded)).map((j) => j.metadata.labels[reRunLabel])).toEqual(['1']);
    expect((await newRuns('busy', seeded)).map((j) => j.metadata.labels[reRunLabel])).toEqual(['1']);
  });

  it('caps retries at 10 whatever retry.attempts says', async () => {
    const p = periodic('stubborn', { interval: '24h', retry: { attempts: 50, interval: '1m' } });
    configure(p);
    const ninth = await seed(p, { state: 'failure', startTime: ago(hour), completionTime: ago(hour) }, { [reRunLabel]: '9' });
    const h = await begin();
    const [tenth] = await newRuns('stubborn', [ninth]);
    expect(tenth?.metadata.labels[reRunLabel]).toBe('10');
    if (tenth === undefined) throw new Error('no tenth');
    await finish(tenth, 'failure', ago(0));
    clock = new Date(clock.getTime() + hour);
    expect(await h.tick()).toMatchObject({ triggered: 0 });
  });

  it('lets two horologiums ticking at once start each run once', async () => {
    const periodics = Array.from({ length: 30 }, (_, i) => periodic(`p-${String(i)}`, { interval: '1h' }));
    configure(...periodics);
    const stores = [createRedisJobStore(settings), createRedisJobStore(settings), createRedisJobStore(settings)];
    extraStores.push(...stores);
    // The first syncs, at start, race; so do the later ones.
    const hs = await Promise.all(stores.map((s) => begin(s)));
    for (const p of periodics) expect(await runsOf(p.name)).toHaveLength(1);

    for (const job of await jobs.list()) await finish(job, 'success');
    clock = new Date(clock.getTime() + 2 * hour);
    const stats = await Promise.all(hs.map((h) => h.tick()));
    for (const p of periodics) expect(await runsOf(p.name)).toHaveLength(2);
    expect(stats.reduce((n, s) => n + s.triggered, 0)).toBe(periodics.length);
  });

  it('syncs on its own every horologium.tick_interval', async () => {
    prowConfig = { periodics: [], prowjob_namespace: 'prow-jobs', horologium: { tick_interval: '20ms' } };
    const h = await startHorologium({ jobs, config: () => prowConfig as ProwConfig, log: memoryLogger('warn').logger });
    started.push(h);
    prowConfig = { ...prowConfig, periodics: [periodic('later', { interval: '1h' })] };
    for (let i = 0; i < 400 && (await runsOf('later')).length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(await runsOf('later')).toHaveLength(1);
  });
});
