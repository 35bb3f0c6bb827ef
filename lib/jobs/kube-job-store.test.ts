import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startKubeApiServer, type KubeApiServer } from '../../test/kube/api-server.ts';
import { jobStoreContract, periodicJob } from './job-store.contract.ts';
import type { JobStore } from './job-store.ts';
import { createKubeJobStore } from './kube-job-store.ts';

const namespace = 'prow';
let kube: KubeApiServer;
let stores: JobStore[];

function open(): JobStore {
  const store = createKubeJobStore({ kubeConfig: kube.kubeConfig(namespace), namespace });
  stores.push(store);
  return store;
}

const periodic = periodicJob;

beforeEach(async () => {
  // Prow's CRD as published: no status subresource, so status is written with the object, as Prow writes it.
  kube = await startKubeApiServer({ namespaces: [namespace], prowJobStatusSubresource: false });
  stores = [];
});

afterEach(async () => {
  await Promise.all(stores.map((s) => s.close()));
  await kube.close();
});

jobStoreContract('Kubernetes', () => open);

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

});
