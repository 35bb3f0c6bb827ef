import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ProwConfig } from '../../../lib/config/index.ts';
import { createRedisJobStore, newProwJob, type JobChange, type JobStore, type ProwJob, type ProwJobSpec } from '../../../lib/jobs/index.ts';
import type { RedisSettings } from '../../../lib/queue/redis.ts';
import { memoryLogger } from '../../../test/helpers/memory-logger.ts';
import { prowJobSchemaErrors } from '../../../test/helpers/prowjob-crd.ts';
import { dropPrefix, killClients, uniqueRedis } from '../../../test/helpers/redis.ts';
import { createLocalRunner } from '../runner/local-runner.ts';
import { undecoratedPlan } from '../runner/local-plan.ts';
import type { Runner } from '../runner/runner.ts';
import { startPlank, type Plank } from './plank.ts';

let settings: RedisSettings;
let jobs: JobStore;
let runner: Runner;
let plank: Plank | undefined;
let prowConfig: Partial<ProwConfig>;
const { logger } = memoryLogger('warn');

function spec(job: string, script: string, over: Partial<ProwJobSpec> = {}): ProwJobSpec {
  return {
    type: 'periodic',
    agent: 'kubernetes',
    job,
    namespace: 'test-pods',
    pod_spec: { containers: [{ name: 'test', image: 'alpine', command: ['sh', '-c', script] }] },
    ...over,
  };
}

function presubmit(job: string, script: string, sha: string): ProwJobSpec {
  return spec(job, script, {
    type: 'presubmit',
    context: job,
    report: true,
    refs: { org: 'acme', repo: 'widgets', base_ref: 'main', base_sha: 'a'.repeat(40), pulls: [{ number: 7, author: 'member', sha }] },
  });
}

async function begin(extra: { maxPending?: number } = {}): Promise<void> {
  plank = await startPlank({
    jobs,
    runner,
    config: () => prowConfig as ProwConfig,
    log: logger,
    jobUrl: (job) => `https://prow.example.com/view/${job.spec.job}/${job.status.build_id ?? ''}`,
    resyncMs: 200,
    ...extra,
  });
}

/** Waits until job `name` is in one of `states`, and returns it. */
async function reach(name: string, states: string[], ms = 15_000): Promise<ProwJob> {
  const deadline = Date.now() + ms;
  for (;;) {
    const job = await jobs.get(name);
    if (job && states.includes(job.status.state)) return job;
    if (Date.now() > deadline) throw new Error(`job ${name} did not reach ${states.join('|')}: ${JSON.stringify(job?.status)}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

beforeEach(async () => {
  settings = uniqueRedis('plank');
  jobs = createRedisJobStore(settings);
  runner = await createLocalRunner({ plan: (job, dir) => undecoratedPlan(job, dir), log: logger });
  prowConfig = {};
});

afterEach(async () => {
  await plank?.close();
  plank = undefined;
  await runner.close();
  await jobs.close();
  await dropPrefix(settings);
});

describe('plank', () => {
  it('runs a triggered job to success, setting what Prow sets on the way', async () => {
    await begin();
    const changes: JobChange[] = [];
    const watch = await jobs.watch((c) => changes.push(c));
    const { metadata } = await jobs.create(newProwJob(spec('unit', 'test "$JOB_NAME" = unit')));
    const done = await reach(metadata.name, ['success', 'failure', 'error']);
    await watch.close();
    expect(done.status).toMatchObject({ state: 'success', description: 'Job succeeded.', build_id: '1', pod_name: metadata.name, url: 'https://prow.example.com/view/unit/1' });
    expect(Date.parse(done.status.completionTime ?? '')).toBeGreaterThanOrEqual(Date.parse(done.status.pendingTime ?? ''));
    expect(changes.map((c) => c.job.status.state)).toEqual(expect.arrayContaining(['triggered', 'pending', 'success']));
    expect(prowJobSchemaErrors(done)).toEqual([]);
  });

  it('reports a failing command as failure, and gives each run of a job the next build id', async () => {
    await begin();
    const first = await jobs.create(newProwJob(spec('flaky', 'exit 3')));
    expect((await reach(first.metadata.name, ['success', 'failure'])).status).toMatchObject({ state: 'failure', description: 'Job failed.', build_id: '1' });
    const second = await jobs.create(newProwJob(spec('flaky', 'exit 0')));
    expect((await reach(second.metadata.name, ['success', 'failure'])).status).toMatchObject({ state: 'success', build_id: '2' });
  });

  it('holds a job to its max_concurrency, starting the waiting ones oldest first', async () => {
    await begin();
    const pendingAtOnce: number[] = [];
    const started: string[] = [];
    const live = new Set<string>();
    const watch = await jobs.watch(({ job }) => {
      if (job.status.state === 'pending' && !live.has(job.metadata.name)) {
        live.add(job.metadata.name);
        started.push(job.metadata.name);
      }
      if (job.status.state !== 'pending') live.delete(job.metadata.name);
      pendingAtOnce.push(live.size);
    });
    const names: string[] = [];
    for (let i = 0; i < 4; i++) {
      const job = newProwJob(spec('serial', 'sleep 0.2', { max_concurrency: 1 }));
      job.metadata.creationTimestamp = new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString();
      names.push((await jobs.create(job)).metadata.name);
    }
    for (const name of names) await reach(name, ['success']);
    await watch.close();
    expect(Math.max(...pendingAtOnce)).toBe(1);
    expect(started).toEqual(names);
  });

  it('honours job queue capacities: 0 blocks the queue, 1 serialises it across jobs', async () => {
    prowConfig = { plank: { job_queue_capacities: { frozen: 0, narrow: 1 } } };
    await begin();
    const frozen = await jobs.create(newProwJob(spec('frozen-job', 'true', { job_queue_name: 'frozen' })));
    const a = await jobs.create(newProwJob(spec('job-a', 'sleep 0.3', { job_queue_name: 'narrow' })));
    const b = await jobs.create(newProwJob(spec('job-b', 'sleep 0.3', { job_queue_name: 'narrow' })));
    await reach(a.metadata.name, ['pending', 'success']);
    // While one of the queue runs, the other waits.
    const other = await jobs.get(b.metadata.name);
    const bothPending = (await jobs.get(a.metadata.name))?.status.state === 'pending' && other?.status.state === 'pending';
    expect(bothPending).toBe(false);
    await reach(b.metadata.name, ['success']);
    await plank?.idle();
    expect((await jobs.get(frozen.metadata.name))?.status.state).toBe('triggered');
  });

  it('caps pending jobs overall when asked', async () => {
    await begin({ maxPending: 2 });
    let most = 0;
    const live = new Set<string>();
    const watch = await jobs.watch(({ job }) => {
      if (job.status.state === 'pending') live.add(job.metadata.name);
      else live.delete(job.metadata.name);
      most = Math.max(most, live.size);
    });
    const created = await Promise.all(Array.from({ length: 5 }, (_, i) => jobs.create(newProwJob(spec(`cap-${String(i)}`, 'sleep 0.2')))));
    for (const job of created) await reach(job.metadata.name, ['success']);
    await watch.close();
    expect(most).toBeLessThanOrEqual(2);
    expect(most).toBeGreaterThan(0);
  });

  it('turns a job it cannot run into an error with a message, not a crash', async () => {
    await begin();
    const empty = newProwJob(spec('empty', 'true'));
    empty.spec.pod_spec = { containers: [] };
    const noCommand = newProwJob(spec('no-command', 'true'));
    noCommand.spec.pod_spec = { containers: [{ name: 'test', image: 'alpine' }] };
    const [e, n] = [await jobs.create(empty), await jobs.create(noCommand)];
    expect((await reach(e.metadata.name, ['error'])).status.description).toMatch(/containers is empty/);
    expect((await reach(n.metadata.name, ['error'])).status.description).toMatch(/^Pod can not be created: .*has no command/);
    // plank is still working.
    const ok = await jobs.create(newProwJob(spec('after', 'true')));
    await reach(ok.metadata.name, ['success']);
  });

  it('aborts a presubmit superseded by a newer run on the same PR, and stops its process', async () => {
    await begin();
    const old = await jobs.create(newProwJob(presubmit('pull-unit', 'sleep 30', 'b'.repeat(40))));
    await reach(old.metadata.name, ['pending']);
    const newer = newProwJob(presubmit('pull-unit', 'true', 'c'.repeat(40)));
    newer.status.startTime = new Date(Date.now() + 1000).toISOString();
    const fresh = await jobs.create(newer);
    const aborted = await reach(old.metadata.name, ['aborted']);
    expect(aborted.status.description).toBe('Aborted as the newer version of this job is running.');
    expect(aborted.status.prev_report_states?.['github-reporter']).toBe('aborted');
    await reach(fresh.metadata.name, ['success']);
    await plank?.idle();
    expect(await runner.phase(old.metadata.name)).toBeUndefined();
  });

  it('stops the run of a job aborted by someone else, and stamps its completion', async () => {
    await begin();
    const job = await jobs.create(newProwJob(spec('long', 'sleep 30')));
    await reach(job.metadata.name, ['pending']);
    await jobs.update(job.metadata.name, (j) => ({ ...j, status: { ...j.status, state: 'aborted', description: 'Aborted by a new push.' } }));
    const deadline = Date.now() + 10_000;
    while ((await runner.phase(job.metadata.name)) !== undefined && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
    expect(await runner.phase(job.metadata.name)).toBeUndefined();
    expect((await reach(job.metadata.name, ['aborted'])).status.completionTime).toBeDefined();
  });

  it('aborts a run that outlives pod_running_timeout', async () => {
    prowConfig = { plank: { pod_running_timeout: '500ms' } };
    await begin();
    const job = await jobs.create(newProwJob(spec('stuck', 'sleep 30')));
    expect((await reach(job.metadata.name, ['aborted', 'success', 'failure'])).status).toMatchObject({ state: 'aborted', description: 'Pod running timeout.' });
  });

  it('starts again a pending job whose run is gone (a controller restart), keeping its build id', async () => {
    const job = newProwJob(spec('restarted', 'true'));
    job.status = { ...job.status, state: 'pending', build_id: '41', pod_name: job.metadata.name, pendingTime: new Date().toISOString() };
    const { metadata } = await jobs.create(job);
    await begin();
    expect((await reach(metadata.name, ['success'])).status.build_id).toBe('41');
  });

  it('rides out a job-store outage: connections cut while jobs run, every job still runs once and finishes', async () => {
    await begin();
    const created = await Promise.all(Array.from({ length: 12 }, () => jobs.create(newProwJob(spec('outage', 'sleep 0.3')))));
    let cuts = 0;
    for (let i = 0; i < 4; i++) {
      // Every connection of the store (plank's writes and its watch, the test's reads) goes at once.
      cuts += await killClients(`${settings.prefix}:jobs`);
      await new Promise((r) => setTimeout(r, 150));
    }
    expect(cuts).toBeGreaterThanOrEqual(4);
    const done = await Promise.all(created.map((job) => reach(job.metadata.name, ['success', 'failure', 'error', 'aborted'], 30_000)));
    expect(done.map((job) => job.status.state)).toEqual(created.map(() => 'success'));
    const builds = done.map((job) => job.status.build_id);
    expect(new Set(builds).size).toBe(12);
  });
});
