import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CustomObjectsApi } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../emulator/github/index.ts';
import { readEnv } from '../../lib/env.ts';
import { createGitHubClient } from '../../lib/github/github-client.ts';
import { newProwJob, type ProwJob } from '../../lib/jobs/index.ts';
import { createKubeJobStore } from '../../lib/jobs/kube-job-store.ts';
import { memoryLogger } from '../../test/helpers/memory-logger.ts';
import { dropPrefix, uniqueRedis } from '../../test/helpers/redis.ts';
import { startKubeApiServer, type KubeApiServer } from '../../test/kube/api-server.ts';
import { startFakeKubelet, type FakeKubelet } from '../../test/kube/kubelet.ts';
import type { ServiceContext } from '../service.ts';
import { controller } from './index.ts';
import { until } from '../../test/helpers/until.ts';

let emu: RunningEmulator;
let kube: KubeApiServer;
let kubelet: FakeKubelet;
let dir: string;
let token: string;
const redis = uniqueRedis('controller-svc');

beforeAll(async () => {
  emu = await startEmulator({ logger: memoryLogger('warn').logger });
  token = (await emu.control.createUser({ login: 'prow-bot' })).token;
  kube = await startKubeApiServer({ namespaces: ['prow', 'test-pods'], prowJobStatusSubresource: false });
  kubelet = startFakeKubelet(kube, { namespace: 'test-pods' });
  dir = await mkdtemp(join(tmpdir(), 'prow-controller-svc-'));
  await writeFile(join(dir, 'config.yaml'), 'prowjob_namespace: prow\npod_namespace: test-pods\n');
  await writeFile(join(dir, 'kubeconfig'), kube.kubeConfig('prow').exportConfig());
});

afterAll(async () => {
  kubelet.stop();
  await kube.close();
  await emu.close();
  await rm(dir, { recursive: true, force: true });
  await dropPrefix(redis);
});

function context(env: NodeJS.ProcessEnv): ServiceContext {
  const logger = memoryLogger('warn').logger;
  return {
    env: readEnv({ CONTROLLER_PORT: '0', ...env }),
    logger,
    redis,
    github: { client: createGitHubClient({ credentials: { kind: 'token', token }, baseUrl: emu.url, logger }), botLogin: 'prow-bot', emulated: true, webhookSecret: 's' },
    configPaths: { configPath: join(dir, 'config.yaml') },
  };
}

describe('the controller service', () => {
  it('in cluster mode runs ProwJob custom resources as Pods (JOB_STORE=kubernetes, JOB_RUNNER=pod, KUBECONFIG)', async () => {
    const storage = join(dir, 'storage');
    const running = await controller.start(context({ JOB_STORE: 'kubernetes', JOB_RUNNER: 'pod', KUBECONFIG: join(dir, 'kubeconfig'), PROW_IMAGE: 'prow-ts:test', STORAGE_LOCATION: storage }));
    try {
      expect((await fetch(`${running.url ?? ''}/healthz`)).status).toBe(200);
      // What hook's trigger does in a cluster: create the ProwJob resource.
      const jobs = createKubeJobStore({ kubeConfig: kube.kubeConfig('prow'), namespace: 'prow' });
      const { metadata } = await jobs.create(
        newProwJob({
          type: 'periodic',
          agent: 'kubernetes',
          job: 'nightly',
          namespace: 'test-pods',
          pod_spec: { containers: [{ name: 'test', image: 'alpine', command: ['true'] }] },
          decoration_config: { gcs_configuration: { bucket: 'gs://not-used-here', path_strategy: 'explicit' } },
        }),
      );
      await jobs.close();
      const api = kube.kubeConfig('prow').makeApiClient(CustomObjectsApi);
      const deadline = Date.now() + 15_000;
      let job: ProwJob | undefined;
      do {
        await new Promise((r) => setTimeout(r, 50));
        job = (await api.getNamespacedCustomObject({ group: 'prow.k8s.io', version: 'v1', namespace: 'prow', plural: 'prowjobs', name: metadata.name })) as ProwJob;
      } while (job.status.state !== 'success' && Date.now() < deadline);
      expect(job.status.state).toBe('success');
      // crier's storage and Pod reporters: prowjob.json and podinfo.json in the build's directory.
      const build = join(storage, 'logs', 'nightly', job.status.build_id ?? '');
      const podinfo = await until('the controller to get there', () => readFile(join(build, 'podinfo.json'), 'utf8').catch(() => undefined));
      expect(JSON.parse(podinfo)).toMatchObject({ pod: { metadata: { name: metadata.name }, status: { phase: 'Succeeded' } }, events: [] });
      expect(JSON.parse(await until('the controller to get there', () => readFile(join(build, 'prowjob.json'), 'utf8').catch(() => undefined)))).toMatchObject({ spec: { job: 'nightly' } });
      const metrics = await (await fetch(`${running.url ?? ''}/metrics`)).text();
      expect(metrics).toMatch(/prow_controller_job_transitions_total\{from="pending",to="success"\} 1/);
    } finally {
      await running.close();
    }
  });

  it('reports on the PR a Pod the cluster refuses (the namespace is over its quota), and keeps working', async () => {
    await emu.control.createUser({ login: 'alice' });
    await emu.control.createOrg({ login: 'acme', admins: ['prow-bot'], members: ['alice'] });
    const { sha: baseSha } = await emu.control.createRepo({ owner: 'acme', name: 'widgets' });
    const { number, headSha } = await emu.control.createPullRequest({ owner: 'acme', repo: 'widgets', author: 'alice', head: 'topic', title: 'Add a thing', files: { 'thing.txt': 'x' } });
    const quotas = kube.type('', 'v1', 'resourcequotas');
    kube.store.create(quotas, 'test-pods', { metadata: { name: 'no-pods' }, spec: { hard: { pods: '0' } } });
    const running = await controller.start(context({ JOB_STORE: 'kubernetes', JOB_RUNNER: 'pod', KUBECONFIG: join(dir, 'kubeconfig'), PROW_IMAGE: 'prow-ts:test', STORAGE_LOCATION: join(dir, 'storage') }));
    const jobs = createKubeJobStore({ kubeConfig: kube.kubeConfig('prow'), namespace: 'prow' });
    try {
      const { metadata } = await jobs.create(
        newProwJob({
          type: 'presubmit',
          agent: 'kubernetes',
          job: 'pull-widgets-unit',
          context: 'pull-widgets-unit',
          rerun_command: '/test pull-widgets-unit',
          report: true,
          namespace: 'test-pods',
          refs: { org: 'acme', repo: 'widgets', base_ref: 'main', base_sha: baseSha, pulls: [{ number, author: 'alice', sha: headSha }] },
          pod_spec: { containers: [{ name: 'test', image: 'alpine', command: ['true'] }] },
        }),
      );
      const errored = await until('the controller to get there', async () => {
        const job = await jobs.get(metadata.name);
        return job?.status.state === 'error' ? job : undefined;
      });
      expect(errored.status.description).toMatch(/^Pod can not be created: pods ".*" is forbidden: exceeded quota: no-pods/);
      const status = await until('the controller to get there', async () => {
        const res = await fetch(`${emu.url}/repos/acme/widgets/commits/${headSha}/statuses`, { headers: { authorization: `token ${token}` } });
        const list = (await res.json()) as { state: string; context: string; description: string }[];
        return list.find((s) => s.context === 'pull-widgets-unit' && s.state === 'error');
      });
      expect(status.description).toMatch(/^Pod can not be created: .* limited: pods=0\u2001* BaseSHA:/);
      expect(kube.store.list(kube.type('', 'v1', 'pods'), 'test-pods').items.map((p) => p.metadata.name)).not.toContain(metadata.name);

      // Once the quota is lifted, the next job runs.
      kube.store.delete(quotas, 'test-pods', 'no-pods');
      const next = await jobs.create(newProwJob({ type: 'periodic', agent: 'kubernetes', job: 'after-quota', namespace: 'test-pods', pod_spec: { containers: [{ name: 'test', image: 'alpine', command: ['true'] }] } }));
      await until('the controller to get there', async () => ((await jobs.get(next.metadata.name))?.status.state === 'success' ? true : undefined));
    } finally {
      await jobs.close();
      await running.close();
    }
  });

  it('refuses an unknown JOB_RUNNER, naming the variable', () => {
    expect(() => context({ JOB_RUNNER: 'docker' })).toThrow(/JOB_RUNNER.*not one of local, pod/);
  });
});
