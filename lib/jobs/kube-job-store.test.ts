import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startKubeApiServer, type KubeApiServer } from '../../test/kube/api-server.ts';
import type { JobChange, JobStore } from './job-store.ts';
import { createKubeJobStore } from './kube-job-store.ts';
import { newProwJob } from './new-prowjob.ts';
import type { ProwJob } from './prowjob.ts';

const namespace = 'prow';
let kube: KubeApiServer;
let stores: JobStore[];

function open(): JobStore {
  const store = createKubeJobStore({ kubeConfig: kube.kubeConfig(namespace), namespace });
  stores.push(store);
  return store;
}

function periodic(job: string, labels: Record<string, string> = {}): ProwJob {
  return newProwJob({ type: 'periodic', agent: 'kubernetes', job, namespace: 'test-pods', pod_spec: { containers: [{ name: 'test', image: 'alpine', command: ['true'] }] } }, labels);
}

async function until(ok: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

beforeEach(async () => {
  // Prow's CRD as published: no status subresource, so status is written with the object, as Prow writes it.
  kube = await startKubeApiServer({ namespaces: [namespace], prowJobStatusSubresource: false });
  stores = [];
});

afterEach(async () => {
  await Promise.all(stores.map((s) => s.close()));
  await kube.close();
});

describe('the Kubernetes JobStore (ProwJob custom resources through client-node)', () => {
  it('creates ProwJobs the API server accepts under Prow’s CRD schema, and lists them by label', async () => {
    const store = open();
    const a = await store.create(periodic('job-a', { team: 'red' }));
    await store.create(periodic('job-b', { team: 'blue' }));
    expect(a.metadata.resourceVersion).toBeDefined();
    expect(a.status.state).toBe('triggered');
    expect(kube.prowJob(namespace, a.metadata.name)).toMatchObject({ kind: 'ProwJob', spec: { job: 'job-a' } });
    expect((await store.list()).map((j) => j.spec.job)).toEqual(['job-a', 'job-b']);
    expect((await store.list({ labels: { team: 'blue' } })).map((j) => j.spec.job)).toEqual(['job-b']);
    expect(await store.get('missing')).toBeUndefined();
    await expect(store.create(a)).rejects.toThrow(/already exists/);
  });

  it('loses no update when two controllers change one job at once (409s are retried)', async () => {
    const [one, two] = [open(), open()];
    const { metadata } = await one.create(periodic('counted'));
    const bump = (store: JobStore) =>
      store.update(metadata.name, (job) => {
        job.metadata.annotations.count = String(Number(job.metadata.annotations.count ?? 0) + 1);
        return job;
      });
    await Promise.all(Array.from({ length: 20 }, (_, i) => bump(i % 2 === 0 ? one : two)));
    expect((await one.get(metadata.name))?.metadata.annotations.count).toBe('20');
  });

  it('watches: every existing job, then changes, with deletes', async () => {
    const store = open();
    const first = await store.create(periodic('first'));
    const seen: JobChange[] = [];
    const watch = await open().watch((c) => seen.push(c));
    await until(() => seen.length === 1, 'the initial list');
    await store.update(first.metadata.name, (j) => ({ ...j, status: { ...j.status, state: 'pending' } }));
    const second = await store.create(periodic('second'));
    await store.delete(second.metadata.name);
    await until(() => seen.length >= 4, 'four changes');
    expect(seen.map((c) => `${c.type} ${c.job.spec.job} ${c.job.status.state}`)).toEqual(['ADDED first triggered', 'MODIFIED first pending', 'ADDED second triggered', 'DELETED second triggered']);
    await watch.close();
  });

  it('hands out build ids that increase', async () => {
    const store = open();
    const ids = [await store.nextBuildId('x'), await store.nextBuildId('x'), await store.nextBuildId('y')].map(Number);
    expect(ids[1]).toBeGreaterThan(ids[0] ?? Infinity);
    expect(ids[2]).toBeGreaterThan(ids[1] ?? Infinity);
  });
});
