import { CustomObjectsApi } from '@kubernetes/client-node';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { ProwConfig } from '../../lib/config/index.ts';
import { createKubeJobStore, newProwJob, type JobStore, type ProwJob } from '../../lib/jobs/index.ts';
import { memoryLogger } from '../../test/helpers/memory-logger.ts';
import { startKubeApiServer, type KubeApiServer } from '../../test/kube/api-server.ts';
import { startFakeKubelet, type FakeKubelet } from '../../test/kube/kubelet.ts';
import { startPlank, type Plank } from './plank/plank.ts';
import { createPodRunner } from './runner/pod-runner.ts';
import type { Runner } from './runner/runner.ts';

const { logger } = memoryLogger('warn');
let kube: KubeApiServer;
let kubelet: FakeKubelet;
let jobs: JobStore;
let runner: Runner;
let plank: Plank;

beforeEach(async () => {
  kube = await startKubeApiServer({ namespaces: ['prow', 'test-pods'], prowJobStatusSubresource: false });
  kubelet = startFakeKubelet(kube, { namespace: 'test-pods' });
  jobs = createKubeJobStore({ kubeConfig: kube.kubeConfig('prow'), namespace: 'prow' });
  runner = await createPodRunner({ kubeConfig: kube.kubeConfig('test-pods'), log: logger, namespace: 'test-pods', utilityImage: 'prow-ts:test' });
  plank = await startPlank({ jobs, runner, config: () => ({}) as ProwConfig, log: logger, jobUrl: () => undefined });
});

afterEach(async () => {
  await plank.close();
  await runner.close();
  await jobs.close();
  kubelet.stop();
  await kube.close();
});

it('in cluster mode, a ProwJob custom resource runs as a Pod and ends success, as `kubectl get prowjobs` shows', async () => {
  const { metadata } = await jobs.create(newProwJob({ type: 'periodic', agent: 'kubernetes', job: 'nightly', namespace: 'test-pods', pod_spec: { containers: [{ name: 'test', image: 'alpine', command: ['true'] }] } }));
  const api = kube.kubeConfig('prow').makeApiClient(CustomObjectsApi);
  const deadline = Date.now() + 15_000;
  let job: ProwJob | undefined;
  do {
    await new Promise((r) => setTimeout(r, 50));
    const listed = (await api.listNamespacedCustomObject({ group: 'prow.k8s.io', version: 'v1', namespace: 'prow', plural: 'prowjobs' })) as { items: ProwJob[] };
    job = listed.items.find((j) => j.metadata.name === metadata.name);
  } while (job?.status.state !== 'success' && Date.now() < deadline);
  expect(job?.status).toMatchObject({ state: 'success', description: 'Job succeeded.', pod_name: metadata.name });
  expect(Number(job?.status.build_id)).toBeGreaterThan(0);
  expect(kube.pod('test-pods', metadata.name)).toMatchObject({ status: { phase: 'Succeeded' } });
});
