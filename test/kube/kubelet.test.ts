import * as k8s from '@kubernetes/client-node';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startKubeApiServer, type KubeApiServer } from './api-server.ts';
import { startFakeKubelet, type FakeKubelet, type PodScript } from './kubelet.ts';

const ns = 'test-pods';
let server: KubeApiServer;
let core: k8s.CoreV1Api;
let kubelet: FakeKubelet | undefined;

beforeEach(async () => {
  server = await startKubeApiServer({ namespaces: [ns, 'other'] });
  core = server.kubeConfig(ns).makeApiClient(k8s.CoreV1Api);
});

afterEach(async () => {
  kubelet?.stop();
  kubelet = undefined;
  await server.close();
});

/** See api-server.test.ts: plain manifests pass through unknown to client-node's class-typed bodies. */
function pod(name: string, spec: object = { containers: [{ name: 'test', image: 'busybox' }] }): k8s.V1Pod {
  const value: unknown = { metadata: { name, labels: { script: name } }, spec: { restartPolicy: 'Never', ...spec } };
  return value as k8s.V1Pod;
}

function run(scripts: Record<string, PodScript>): void {
  kubelet = startFakeKubelet(server, { namespace: ns, behaviour: (p) => scripts[p.metadata.labels?.script ?? ''] ?? {} });
}

/** Every phase and container state a Watch client sees for one Pod, in order, without repeats. */
async function watchPod(name: string): Promise<{ seen: string[]; stop(): void }> {
  const seen: string[] = [];
  const req = await new k8s.Watch(server.kubeConfig(ns)).watch(
    `/api/v1/namespaces/${ns}/pods`,
    { fieldSelector: `metadata.name=${name}` },
    (_type: string, p: k8s.V1Pod) => {
      const states = (p.status?.containerStatuses ?? []).map((c) => Object.keys(c.state ?? {}).join('')).join(',');
      const line = `${p.status?.phase ?? ''}${states === '' ? '' : ` ${states}`}`;
      if (seen.at(-1) !== line) seen.push(line);
    },
    () => undefined,
  );
  return {
    seen,
    stop: () => {
      req.abort();
    },
  };
}

describe('the fake kubelet', () => {
  it('runs a Pod to Succeeded through states every watcher sees, with start time, exit codes and logs', async () => {
    run({ ok: { logs: { test: 'PASS\n' } } });
    const watcher = await watchPod('ok');
    try {
      await core.createNamespacedPod({ namespace: ns, body: pod('ok') });
      const done = await kubelet?.settled('ok');
      expect(done?.status).toMatchObject({ phase: 'Succeeded' });
      const read = await core.readNamespacedPod({ namespace: ns, name: 'ok' });
      expect(read.spec?.nodeName).toBe('fake-node');
      expect(read.status?.startTime).toBeInstanceOf(Date);
      expect(read.status?.containerStatuses?.[0]?.state?.terminated).toMatchObject({ exitCode: 0, reason: 'Completed' });
      expect(read.status?.conditions?.find((c) => c.type === 'PodScheduled')?.status).toBe('True');
      expect(await core.readNamespacedPodLog({ namespace: ns, name: 'ok', container: 'test' })).toBe('PASS\n');
      await new Promise((r) => setTimeout(r, 50));
      expect(watcher.seen).toEqual(['Pending', 'Pending waiting', 'Running running', 'Succeeded terminated']);
    } finally {
      watcher.stop();
    }
  });

  it('fails a Pod whose container exits non-zero, and one whose init container fails before the rest start', async () => {
    run({ bad: { exitCodes: { test: 3 } }, init: { exitCodes: { clonerefs: 1 } } });
    await core.createNamespacedPod({ namespace: ns, body: pod('bad') });
    await core.createNamespacedPod({ namespace: ns, body: pod('init', { initContainers: [{ name: 'clonerefs', image: 'clonerefs' }], containers: [{ name: 'test', image: 'busybox' }] }) });

    const bad = await core.readNamespacedPodStatus({ namespace: ns, name: (await kubelet?.settled('bad'))?.metadata.name ?? '' });
    expect(bad.status?.phase).toBe('Failed');
    expect(bad.status?.containerStatuses?.[0]?.state?.terminated).toMatchObject({ exitCode: 3, reason: 'Error' });

    await kubelet?.settled('init');
    const init = await core.readNamespacedPodStatus({ namespace: ns, name: 'init' });
    expect(init.status?.phase).toBe('Failed');
    expect(init.status?.initContainerStatuses?.[0]?.state?.terminated?.exitCode).toBe(1);
    expect(init.status?.containerStatuses?.[0]?.state?.waiting?.reason).toBe('PodInitializing');
  });

  it('leaves a Pod unscheduled, or pending in ImagePullBackOff, and runs another until it is deleted', async () => {
    run({ nowhere: { outcome: 'unschedulable' }, pull: { outcome: 'image-pull-backoff' }, forever: { outcome: 'run-forever' } });
    for (const name of ['nowhere', 'pull', 'forever']) await core.createNamespacedPod({ namespace: ns, body: pod(name) });

    const nowhere = await kubelet?.settled('nowhere');
    expect(nowhere?.status).toMatchObject({ phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable' }] });
    expect((nowhere?.spec as { nodeName?: string }).nodeName).toBeUndefined();

    await kubelet?.settled('pull');
    const pull = await core.readNamespacedPod({ namespace: ns, name: 'pull' });
    expect(pull.status?.phase).toBe('Pending');
    expect(pull.status?.containerStatuses?.[0]?.state?.waiting).toEqual({ reason: 'ImagePullBackOff', message: 'Back-off pulling image "busybox"' });

    await kubelet?.settled('forever');
    expect((await core.readNamespacedPod({ namespace: ns, name: 'forever' })).status?.phase).toBe('Running');
    await core.deleteNamespacedPod({ namespace: ns, name: 'forever' });
    expect(await core.listNamespacedPod({ namespace: ns, fieldSelector: 'metadata.name=forever' })).toMatchObject({ items: [] });
  });

  it('stops a script when its Pod is deleted, keeps to its namespace, and carries on after the server closes watches', async () => {
    run({ slow: { stepMs: 200 } });
    await core.createNamespacedPod({ namespace: ns, body: pod('slow') });
    const settled = kubelet?.settled('slow');
    await core.deleteNamespacedPod({ namespace: ns, name: 'slow' });
    await expect(settled).rejects.toThrow(/deleted/);

    await core.createNamespacedPod({ namespace: 'other', body: pod('elsewhere') });
    server.closeWatches();
    await core.createNamespacedPod({ namespace: ns, body: pod('after') });
    expect((await kubelet?.settled('after'))?.status).toMatchObject({ phase: 'Succeeded' });
    expect((await core.readNamespacedPod({ namespace: 'other', name: 'elsewhere' })).status?.phase).toBe('Pending');
  });
});
