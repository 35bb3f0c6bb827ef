import { CustomObjectsApi } from '@kubernetes/client-node';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startKubeApiServer, type KubeApiServer } from '../../test/kube/api-server.ts';
import { jobStoreContract, periodicJob } from './job-store.contract.ts';
import type { JobChange, JobStore } from './job-store.ts';
import { createKubeJobStore } from './kube-job-store.ts';
import type { ProwJob } from './prowjob.ts';

const namespace = 'prow';
const prowJobs = { group: 'prow.k8s.io', version: 'v1', namespace, plural: 'prowjobs' };

// Prow's CRD as published (no status subresource: status is written with the object, as Prow writes it), and
// with the subresource, as starter.yaml's CRD has it (status written again through /status).
for (const statusSubresource of [false, true]) {
  const crd = statusSubresource ? 'with the status subresource' : 'without a status subresource';
  let kube: KubeApiServer;
  let stores: JobStore[];

  const open = (): JobStore => {
    const store = createKubeJobStore({ kubeConfig: kube.kubeConfig(namespace), namespace });
    stores.push(store);
    return store;
  };

  describe(`the Kubernetes JobStore, ProwJob CRD ${crd}`, () => {
    beforeEach(async () => {
      kube = await startKubeApiServer({ namespaces: [namespace], prowJobStatusSubresource: statusSubresource });
      stores = [];
    });

    afterEach(async () => {
      await Promise.all(stores.map((s) => s.close()));
      await kube.close();
    });

    jobStoreContract(`Kubernetes (${crd})`, () => open);

    it('creates ProwJobs the API server accepts under Prow’s CRD schema, with their status, and lists them by label', async () => {
      const store = open();
      const a = await store.create(periodicJob('job-a', { team: 'red' }));
      await store.create(periodicJob('job-b', { team: 'blue' }));
      expect(a.metadata.resourceVersion).toBeDefined();
      expect(a.status.state).toBe('triggered');
      expect(kube.prowJob(namespace, a.metadata.name)).toMatchObject({ kind: 'ProwJob', spec: { job: 'job-a' }, status: { state: 'triggered' }, metadata: { resourceVersion: a.metadata.resourceVersion } });
      expect((await store.list()).map((j) => j.spec.job)).toEqual(['job-a', 'job-b']);
      expect((await store.list({ labels: { team: 'blue' } })).map((j) => j.spec.job)).toEqual(['job-b']);
      expect(await store.get('missing')).toBeUndefined();
      await expect(store.create(a)).rejects.toThrow(/already exists/);
    });

    it('writes spec and status changes of one update, and a status change alone', async () => {
      const store = open();
      const job = await store.create(periodicJob('both'));
      const both = await store.update(job.metadata.name, (j) => ({ ...j, spec: { ...j.spec, report: true }, status: { ...j.status, state: 'pending', description: 'Job triggered.' } }));
      expect(both).toMatchObject({ spec: { report: true }, status: { state: 'pending', description: 'Job triggered.' } });
      expect(kube.prowJob(namespace, job.metadata.name)).toMatchObject({ spec: { report: true }, status: { state: 'pending' }, metadata: { resourceVersion: both?.metadata.resourceVersion } });
      const done = await store.update(job.metadata.name, (j) => ({ ...j, status: { ...j.status, state: 'success' } }));
      expect(Number(done?.metadata.resourceVersion)).toBeGreaterThan(Number(both?.metadata.resourceVersion));
      expect(await store.get(job.metadata.name)).toMatchObject({ spec: { report: true }, status: { state: 'success' } });
    });
  });
}

describe('the Kubernetes JobStore on a CRD with the status subresource, between create and the status write', () => {
  let kube: KubeApiServer;
  let stores: JobStore[];
  beforeEach(async () => {
    kube = await startKubeApiServer({ namespaces: [namespace], prowJobStatusSubresource: true });
    stores = [];
  });
  afterEach(async () => {
    await Promise.all(stores.map((s) => s.close()));
    await kube.close();
  });

  it('shows no ProwJob that has no status yet, and shows it once it has one', async () => {
    const store = createKubeJobStore({ kubeConfig: kube.kubeConfig(namespace), namespace });
    stores.push(store);
    const seen: JobChange[] = [];
    const watch = await store.watch((c) => seen.push(c));
    // Another writer's create, as the API server stores it: the subresource drops the status.
    const api = kube.kubeConfig(namespace).makeApiClient(CustomObjectsApi);
    const bare = (await api.createNamespacedCustomObject({ ...prowJobs, body: periodicJob('bare') })) as ProwJob;
    expect(bare.status as ProwJob['status'] | undefined).toBeUndefined();
    expect(await store.get(bare.metadata.name)).toBeUndefined();
    expect(await store.list()).toEqual([]);
    expect(await store.update(bare.metadata.name, (j) => j)).toBeUndefined();

    await api.replaceNamespacedCustomObjectStatus({ ...prowJobs, name: bare.metadata.name, body: { ...bare, status: { state: 'triggered', startTime: '2026-01-01T00:00:00Z' } } });
    await api.deleteNamespacedCustomObject({ ...prowJobs, name: bare.metadata.name });
    const never = (await api.createNamespacedCustomObject({ ...prowJobs, body: periodicJob('never') })) as ProwJob;
    await api.deleteNamespacedCustomObject({ ...prowJobs, name: never.metadata.name });
    const last = await store.create(periodicJob('last'));
    const deadline = Date.now() + 10_000;
    while (!seen.some((c) => c.job.metadata.name === last.metadata.name) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(seen.map((c) => `${c.type} ${c.job.spec.job}`)).toEqual(['ADDED bare', 'DELETED bare', 'ADDED last']);
    await watch.close();
  });

  it('writes the status of a job another writer changed before it was written, on the changed job', async () => {
    await kube.close();
    // The create's answer is held back, and another writer labels the job meanwhile: the status write at the
    // created resourceVersion is a 409, and the status goes onto the labelled job.
    kube = await startKubeApiServer({ namespaces: [namespace], prowJobStatusSubresource: true, createResponseDelayMs: 200 });
    const type = kube.type('prow.k8s.io', 'v1', 'prowjobs');
    const labeller = kube.store.watch(type, namespace, {
      onEvent: (e) => {
        if (e.type !== 'ADDED') return;
        setImmediate(() => {
          kube.store.patch(type, namespace, e.object.metadata.name ?? '', 'application/merge-patch+json', { metadata: { labels: { seen: 'yes' } } }, undefined);
        });
      },
      onEnd: () => undefined,
    });
    const store = createKubeJobStore({ kubeConfig: kube.kubeConfig(namespace), namespace });
    stores.push(store);
    const created = await store.create(periodicJob('raced'));
    labeller.stop();
    expect(created).toMatchObject({ metadata: { labels: { seen: 'yes' } }, status: { state: 'triggered' } });
    expect(kube.prowJob(namespace, created.metadata.name)).toMatchObject({ metadata: { labels: { seen: 'yes' }, resourceVersion: created.metadata.resourceVersion }, status: { state: 'triggered' } });
  });
});
