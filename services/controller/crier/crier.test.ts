import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRedisJobStore, newProwJob, type JobStore, type ProwJob } from '../../../lib/jobs/index.ts';
import type { RedisSettings } from '../../../lib/queue/redis.ts';
import { memoryLogger } from '../../../test/helpers/memory-logger.ts';
import { dropPrefix, uniqueRedis } from '../../../test/helpers/redis.ts';
import { startCrier, type Crier } from './crier.ts';
import { createStorageReporter, storageReporterName } from './storage-reporter.ts';

let settings: RedisSettings;
let jobs: JobStore;
let dir: string;
let crier: Crier | undefined;
const { logger } = memoryLogger('warn');

function periodic(job: string): ProwJob {
  const pj = newProwJob({
    type: 'periodic',
    agent: 'kubernetes',
    job,
    pod_spec: { containers: [{ name: 'test', image: 'alpine', command: ['true'] }] },
    decoration_config: { gcs_configuration: { bucket: 'ignored-in-local-mode', path_strategy: 'explicit' } },
  });
  return pj;
}

async function begin(): Promise<ReturnType<typeof createStorageReporter>> {
  const reporter = createStorageReporter({ log: logger, bucket: dir });
  crier = await startCrier({ jobs, reporters: [reporter], log: logger });
  return reporter;
}

async function reported(name: string, state: string): Promise<ProwJob> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const job = await jobs.get(name);
    if (job?.status.prev_report_states?.[storageReporterName] === state) return job;
    if (Date.now() > deadline) throw new Error(`${name} was not reported as ${state}: ${JSON.stringify(job?.status)}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

beforeEach(async () => {
  settings = uniqueRedis('crier');
  jobs = createRedisJobStore(settings);
  dir = await mkdtemp(join(tmpdir(), 'crier-storage-'));
});

afterEach(async () => {
  await crier?.close();
  crier = undefined;
  await jobs.close();
  await dropPrefix(settings);
  await rm(dir, { recursive: true, force: true });
});

describe('crier', () => {
  it('writes prowjob.json at each state, backfills finished.json, and remembers what it reported', async () => {
    const reporter = await begin();
    const { metadata } = await jobs.create(periodic('nightly'));
    // No build id yet: nothing to place in storage, so the storage reporter does not report triggered jobs.
    await crier?.idle();
    expect((await jobs.get(metadata.name))?.status.prev_report_states).toBeUndefined();

    await jobs.update(metadata.name, (j) => ({ ...j, status: { ...j.status, state: 'pending', build_id: '7', pendingTime: new Date().toISOString() } }));
    await reported(metadata.name, 'pending');
    const build = join(dir, 'logs', 'nightly', '7');
    expect(JSON.parse(await readFile(join(build, 'prowjob.json'), 'utf8'))).toMatchObject({ status: { state: 'pending', build_id: '7' } });

    await jobs.update(metadata.name, (j) => ({ ...j, status: { ...j.status, state: 'aborted', completionTime: new Date().toISOString() } }));
    await reported(metadata.name, 'aborted');
    expect(JSON.parse(await readFile(join(build, 'finished.json'), 'utf8'))).toMatchObject({ passed: false, result: 'ABORTED' });
    expect(JSON.parse(await readFile(join(build, 'started.json'), 'utf8'))).toHaveProperty('timestamp');
    await reporter.close();
  });

  it('does not report a state again after a restart', async () => {
    const job = periodic('once');
    job.status = { ...job.status, state: 'success', build_id: '1', completionTime: new Date().toISOString() };
    const { metadata } = await jobs.create(job);
    let reporter = await begin();
    await reported(metadata.name, 'success');
    const written = (await stat(join(dir, 'logs', 'once', '1', 'prowjob.json'))).mtimeMs;
    await crier?.close();
    await reporter.close();

    reporter = await begin();
    await crier?.idle();
    await new Promise((r) => setTimeout(r, 200));
    await crier?.idle();
    expect((await stat(join(dir, 'logs', 'once', '1', 'prowjob.json'))).mtimeMs).toBe(written);
    await reporter.close();
  });
});
