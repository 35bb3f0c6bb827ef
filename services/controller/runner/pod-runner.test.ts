import { CoreV1Api, type V1Pod } from '@kubernetes/client-node';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ProwConfig } from '../../../lib/config/index.ts';
import { createRedisJobStore, newProwJob, type JobStore, type ProwJob, type ProwJobSpec } from '../../../lib/jobs/index.ts';
import type { RedisSettings } from '../../../lib/queue/redis.ts';
import { startKubeApiServer, type KubeApiServer } from '../../../test/kube/api-server.ts';
import { startFakeKubelet, type FakeKubelet, type PodScript } from '../../../test/kube/kubelet.ts';
import { memoryLogger } from '../../../test/helpers/memory-logger.ts';
import { dropPrefix, uniqueRedis } from '../../../test/helpers/redis.ts';
import { startPlank, type Plank } from '../plank/plank.ts';
import { createPodRunner } from './pod-runner.ts';
import type { Runner } from './runner.ts';

const ns = 'test-pods';
const { logger } = memoryLogger('warn');
let kube: KubeApiServer;
let kubelet: FakeKubelet;
let settings: RedisSettings;
let jobs: JobStore;
let runner: Runner;
let plank: Plank;
let prowConfig: Partial<ProwConfig>;
const scripts = new Map<string, PodScript>();

function spec(job: string, over: Partial<ProwJobSpec> = {}): ProwJobSpec {
  return { type: 'periodic', agent: 'kubernetes', job, namespace: ns, pod_spec: { containers: [{ image: 'alpine', command: ['true'] }] }, ...over };
}

async function reach(name: string, states: string[]): Promise<ProwJob> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const job = await jobs.get(name);
    if (job && states.includes(job.status.state)) return job;
    if (Date.now() > deadline) throw new Error(`job ${name} did not reach ${states.join('|')}: ${JSON.stringify(job?.status)}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

beforeEach(async () => {
  kube = await startKubeApiServer({ namespaces: ['default', ns] });
  kubelet = startFakeKubelet(kube, { namespace: ns, behaviour: (pod) => scripts.get(String((pod.metadata as { name?: string }).name)) ?? {} });
  settings = uniqueRedis('podrunner');
  jobs = createRedisJobStore(settings);
  runner = await createPodRunner({ kubeConfig: kube.kubeConfig(ns), log: logger, namespace: ns, utilityImage: 'ghcr.io/prow-ts/prow:dev' });
  prowConfig = {};
  plank = await startPlank({ jobs, runner, config: () => prowConfig as ProwConfig, log: logger, jobUrl: () => undefined, resyncMs: 200 });
});

afterEach(async () => {
  await plank.close();
  await runner.close();
  kubelet.stop();
  await kube.close();
  await jobs.close();
  await dropPrefix(settings);
  scripts.clear();
});

describe('the Pod runner, through client-node against the Kubernetes API', () => {
  it('runs a job as a Pod Prow would make, and follows it to success', async () => {
    const { metadata } = await jobs.create(newProwJob(spec('unit')));
    const done = await reach(metadata.name, ['success', 'failure', 'error']);
    expect(done.status).toMatchObject({ state: 'success', description: 'Job succeeded.', pod_name: metadata.name, build_id: '1' });
    const pod = kube.pod(ns, metadata.name) as unknown as V1Pod;
    expect(pod.metadata?.labels).toMatchObject({ 'created-by-prow': 'true', 'prow.k8s.io/job': 'unit', 'prow.k8s.io/type': 'periodic', 'prow.k8s.io/id': metadata.name, 'prow.k8s.io/build-id': '1' });
    expect(pod.spec?.restartPolicy).toBe('Never');
    expect(pod.spec?.containers[0]?.name).toBe('test');
    expect(pod.spec?.containers[0]?.env).toEqual(expect.arrayContaining([{ name: 'JOB_NAME', value: 'unit' }, { name: 'BUILD_ID', value: '1' }]));
  });

  it('decorates: clonerefs, initupload and place-entrypoint first, the test under entrypoint, a sidecar beside it; the API accepts it', async () => {
    const job = newProwJob(
      spec('pull-unit', {
        type: 'presubmit',
        refs: { org: 'acme', repo: 'widgets', base_ref: 'main', base_sha: 'a'.repeat(40), pulls: [{ number: 3, author: 'm', sha: 'b'.repeat(40) }] },
        decoration_config: { timeout: '1h', grace_period: '15s', gcs_configuration: { bucket: 's3://prow-logs', path_strategy: 'explicit' }, s3_credentials_secret: 's3-credentials' },
      }),
    );
    const { metadata } = await jobs.create(job);
    await reach(metadata.name, ['success']);
    const pod = kube.pod(ns, metadata.name) as unknown as V1Pod;
    expect(pod.spec?.initContainers?.map((c) => c.name)).toEqual(['clonerefs', 'initupload', 'place-entrypoint']);
    expect(pod.spec?.containers.map((c) => c.name)).toEqual(['test', 'sidecar']);
    const test = pod.spec?.containers[0];
    expect(test?.command?.at(-1)).toBe('entrypoint');
    expect(JSON.parse(test?.env?.find((e) => e.name === 'ENTRYPOINT_OPTIONS')?.value ?? '{}')).toMatchObject({ args: ['true'] });
    expect(test?.workingDir).toBe('/home/prow/go/src/github.com/acme/widgets');
    expect(pod.spec?.volumes?.find((v) => v.name === 's3-credentials')?.secret?.secretName).toBe('s3-credentials');
  });

  it('reports a failing Pod as failure', async () => {
    const failing = newProwJob(spec('failing'));
    scripts.set(failing.metadata.name, { exitCode: 2 });
    await jobs.create(failing);
    expect((await reach(failing.metadata.name, ['failure', 'success'])).status.description).toBe('Job failed.');
  });

  it('gives up on a Pod no node takes after pod_unscheduled_timeout, and deletes it', async () => {
    prowConfig = { plank: { pod_unscheduled_timeout: '300ms' } };
    const stuck = newProwJob(spec('stuck'));
    scripts.set(stuck.metadata.name, { outcome: 'unschedulable' });
    await jobs.create(stuck);
    expect((await reach(stuck.metadata.name, ['error'])).status.description).toBe('Pod scheduling timeout.');
    await plank.idle();
    expect(await runner.phase(stuck.metadata.name)).toBeUndefined();
  });

  it('starts an evicted Pod again up to plank.max_revivals, then gives the job an error', async () => {
    prowConfig = { plank: { max_revivals: 1 } };
    const job = newProwJob(spec('evictable'));
    scripts.set(job.metadata.name, { outcome: 'run-forever' });
    await jobs.create(job);
    const core = kube.kubeConfig(ns).makeApiClient(CoreV1Api);
    const running = async (notUid?: string): Promise<V1Pod> => {
      const deadline = Date.now() + 10_000;
      for (;;) {
        const pod = await core.readNamespacedPod({ name: job.metadata.name, namespace: ns }).catch(() => undefined);
        if (pod?.status?.phase === 'Running' && pod.metadata?.uid !== notUid) return pod;
        if (Date.now() > deadline) throw new Error('the Pod did not start running');
        await new Promise((r) => setTimeout(r, 25));
      }
    };
    const evict = async (pod: V1Pod) => {
      if (pod.status === undefined) throw new Error('the Pod has no status');
      pod.status.phase = 'Failed';
      pod.status.reason = 'Evicted';
      await core.replaceNamespacedPodStatus({ name: job.metadata.name, namespace: ns, body: pod });
    };
    const first = await running();
    await evict(first);
    const second = await running(first.metadata?.uid);
    expect((await jobs.get(job.metadata.name))?.status).toMatchObject({ state: 'pending', pod_revival_count: 1 });
    await evict(second);
    expect((await reach(job.metadata.name, ['error'])).status).toMatchObject({ description: 'Job pod was evicted by the cluster.', pod_revival_count: 1 });
  });

  it('keeps what the watch said when it hears of the Pod before the create answers', async () => {
    await plank.close();
    await runner.close();
    kubelet.stop();
    await kube.close();
    // The kubelet finishes each Pod while the create's answer is held back.
    kube = await startKubeApiServer({ namespaces: ['default', ns], createResponseDelayMs: 300 });
    kubelet = startFakeKubelet(kube, { namespace: ns });
    runner = await createPodRunner({ kubeConfig: kube.kubeConfig(ns), log: logger, namespace: ns, utilityImage: 'ghcr.io/prow-ts/prow:dev' });
    plank = await startPlank({ jobs, runner, config: () => prowConfig as ProwConfig, log: logger, jobUrl: () => undefined, resyncMs: 60_000 });
    const { metadata } = await jobs.create(newProwJob(spec('raced')));
    expect((await reach(metadata.name, ['success', 'failure', 'error'])).status.state).toBe('success');
    expect(await runner.phase(metadata.name)).toMatchObject({ phase: 'succeeded' });
  });

  it('turns a Pod the API refuses into an error job with the API’s reason', async () => {
    const bad = newProwJob(spec('bad', { pod_spec: { containers: [{ name: 'test', command: ['true'] }] } }));
    const { metadata } = await jobs.create(bad);
    const job = await reach(metadata.name, ['error', 'success']);
    expect(job.status.description).toMatch(/^Pod can not be created: /);
    const core = kube.kubeConfig(ns).makeApiClient(CoreV1Api);
    expect((await core.listNamespacedPod({ namespace: ns })).items.map((p) => p.metadata?.name)).not.toContain(metadata.name);
  });
});
