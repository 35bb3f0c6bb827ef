import * as k8s from '@kubernetes/client-node';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startKubeApiServer, type KubeApiServer } from './api-server.ts';
import type { KubeStatus } from './kube-status.ts';
import { until } from '../helpers/until.ts';

const ns = 'ci';
const prowJobs = { group: 'prow.k8s.io', version: 'v1', namespace: ns, plural: 'prowjobs' } as const;
const mergePatch = k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch);
const strategicPatch = k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.StrategicMergePatch);

let server: KubeApiServer;
let kc: k8s.KubeConfig;
let core: k8s.CoreV1Api;
let custom: k8s.CustomObjectsApi;

beforeEach(async () => {
  server = await startKubeApiServer({ namespaces: ['default', ns], bookmarkIntervalMs: 50 });
  kc = server.kubeConfig(ns);
  core = kc.makeApiClient(k8s.CoreV1Api);
  custom = kc.makeApiClient(k8s.CustomObjectsApi);
});

afterEach(async () => {
  await server.close();
});

/**
 * client-node types request bodies as its model classes but sends them as JSON, so plain manifests are what a
 * caller writes; they pass through unknown because the class-instance lint rule cannot tell the two apart.
 */
function manifest(value: object): unknown {
  return value;
}

interface PodManifest {
  metadata: { name?: string; generateName?: string; labels?: Record<string, string>; finalizers?: string[] };
  spec: Record<string, unknown>;
  status?: Record<string, unknown>;
}

function plainPod(name: string, labels: Record<string, string> = {}, containers: object[] = [{ name: 'test', image: 'busybox' }]): PodManifest {
  return { metadata: { name, labels }, spec: { containers, restartPolicy: 'Never' } };
}

function pod(name: string, labels: Record<string, string> = {}, containers?: object[]): k8s.V1Pod {
  return manifest(plainPod(name, labels, containers)) as k8s.V1Pod;
}

function asPod(value: PodManifest): k8s.V1Pod {
  return manifest(value) as k8s.V1Pod;
}

/** A copy of a Pod read back, with new labels (and status), ready to send. */
function relabelled(p: k8s.V1Pod, labels: Record<string, string>, status?: object): k8s.V1Pod {
  const copy = structuredClone(p);
  if (copy.metadata !== undefined) copy.metadata.labels = labels;
  if (status !== undefined) copy.status = manifest(status) as k8s.V1PodStatus;
  return copy;
}

interface ProwJobObject {
  apiVersion: string;
  kind: string;
  metadata: { name?: string; labels?: Record<string, string>; generation?: number; resourceVersion?: string; uid?: string };
  spec: Record<string, unknown>;
  status?: Record<string, unknown>;
}

function prowJob(name: string, labels: Record<string, string> = {}): ProwJobObject {
  return { apiVersion: 'prow.k8s.io/v1', kind: 'ProwJob', metadata: { name, labels }, spec: { type: 'periodic', job: 'ci-unit', agent: 'kubernetes' }, status: { state: 'triggered', startTime: '2026-01-01T00:00:00Z' } };
}

/** The Status a failed client-node call was answered with. */
async function statusOf(call: Promise<unknown>): Promise<KubeStatus> {
  try {
    await call;
  } catch (err) {
    if (err instanceof k8s.ApiException) return JSON.parse(err.body as string) as KubeStatus;
    throw err;
  }
  throw new Error('the call succeeded');
}

describe('Pods through CoreV1Api', () => {
  it('creates, reads, lists, patches three ways and deletes, with server-set metadata', async () => {
    const created = await core.createNamespacedPod({ namespace: ns, body: pod('a', { app: 'x' }) });
    expect(created.metadata?.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.metadata?.creationTimestamp).toBeInstanceOf(Date);
    expect(created.status?.phase).toBe('Pending');
    const rv0 = Number(created.metadata?.resourceVersion);

    const generated = await core.createNamespacedPod({ namespace: ns, body: asPod({ ...plainPod(''), metadata: { generateName: 'job-' } }) });
    expect(generated.metadata?.name).toMatch(/^job-[a-z0-9]{5}$/);
    expect(Number(generated.metadata?.resourceVersion)).toBeGreaterThan(rv0);

    expect((await core.readNamespacedPod({ namespace: ns, name: 'a' })).metadata?.labels).toEqual({ app: 'x' });
    const listed = await core.listNamespacedPod({ namespace: ns });
    expect(listed.items.map((p) => p.metadata?.name).sort()).toEqual(['a', generated.metadata?.name].sort());
    expect(listed.metadata?.resourceVersion).toBe(generated.metadata?.resourceVersion);

    await core.patchNamespacedPod({ namespace: ns, name: 'a', body: { metadata: { labels: { merged: 'yes' } } } }, mergePatch);
    await core.patchNamespacedPod({ namespace: ns, name: 'a', body: [{ op: 'add', path: '/metadata/annotations', value: { 'prow.k8s.io/job': 'unit' } }] });
    const smp = await core.patchNamespacedPod({ namespace: ns, name: 'a', body: { spec: { containers: [{ name: 'test', image: 'alpine' }] } } }, strategicPatch);
    expect(smp.metadata?.labels).toEqual({ app: 'x', merged: 'yes' });
    expect(smp.metadata?.annotations).toEqual({ 'prow.k8s.io/job': 'unit' });
    expect(smp.spec?.containers).toEqual([expect.objectContaining({ name: 'test', image: 'alpine' })]);

    await core.deleteNamespacedPod({ namespace: ns, name: 'a' });
    expect((await statusOf(core.readNamespacedPod({ namespace: ns, name: 'a' }))).reason).toBe('NotFound');
  });

  it('answers a missing namespace with 404, a duplicate with 409 and a stale update with 409, as Status objects', async () => {
    const missing = await statusOf(core.createNamespacedPod({ namespace: 'nope', body: pod('a') }));
    expect(missing).toMatchObject({ kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404, details: { name: 'nope', kind: 'namespaces' } });

    const first = await core.createNamespacedPod({ namespace: ns, body: pod('a') });
    expect(await statusOf(core.createNamespacedPod({ namespace: ns, body: pod('a') }))).toMatchObject({ reason: 'AlreadyExists', code: 409 });

    await core.patchNamespacedPod({ namespace: ns, name: 'a', body: { metadata: { labels: { moved: 'on' } } } }, mergePatch);
    const stale = await statusOf(core.replaceNamespacedPod({ namespace: ns, name: 'a', body: relabelled(first, { mine: 'x' }) }));
    expect(stale).toMatchObject({ reason: 'Conflict', code: 409 });
  });

  it('refuses an invalid Pod with 422 naming the field, by Kubernetes’ own Pod schema', async () => {
    const noName = await statusOf(core.createNamespacedPod({ namespace: ns, body: pod('bad', {}, [{ image: 'busybox' }]) }));
    expect(noName).toMatchObject({ reason: 'Invalid', code: 422, details: { name: 'bad', kind: 'Pod', causes: [{ field: 'spec.containers[0].name', reason: 'FieldValueRequired' }] } });

    const badPolicy = await statusOf(core.createNamespacedPod({ namespace: ns, body: asPod({ ...plainPod('bad'), spec: { containers: [{ name: 'c', image: 'x' }], restartPolicy: 'Sometimes' } }) }));
    expect(badPolicy.details?.causes).toEqual([expect.objectContaining({ field: 'spec.restartPolicy', reason: 'FieldValueNotSupported' })]);
    expect(badPolicy.message).toContain('spec.restartPolicy');

    const noContainers = await statusOf(core.createNamespacedPod({ namespace: ns, body: asPod({ metadata: { name: 'bad' }, spec: {} }) }));
    expect(noContainers.details?.causes?.map((c) => c.field)).toEqual(['spec.containers']);
  });

  it('refuses a Pod beyond the namespace’s pod-count ResourceQuota with 403, as quota admission does', async () => {
    await core.createNamespacedResourceQuota({ namespace: ns, body: manifest({ metadata: { name: 'pods-cap' }, spec: { hard: { pods: '1' } } }) as k8s.V1ResourceQuota });
    await core.createNamespacedPod({ namespace: ns, body: pod('first') });
    const refused = await statusOf(core.createNamespacedPod({ namespace: ns, body: pod('second') }));
    expect(refused).toMatchObject({ code: 403, reason: 'Forbidden', message: 'pods "second" is forbidden: exceeded quota: pods-cap, requested: pods=1, used: pods=1, limited: pods=1' });
    // A finished Pod no longer counts; other namespaces are not limited.
    await core.patchNamespacedPodStatus({ namespace: ns, name: 'first', body: { status: { phase: 'Succeeded' } } }, mergePatch);
    await core.createNamespacedPod({ namespace: ns, body: pod('second') });
    await core.createNamespacedPod({ namespace: 'default', body: pod('elsewhere') });
    expect((await core.listNamespacedPod({ namespace: ns })).items.map((p) => p.metadata?.name)).toEqual(['first', 'second']);
  });

  it('keeps status out of writes to the Pod and spec out of writes to its status', async () => {
    await core.createNamespacedPod({ namespace: ns, body: asPod({ ...plainPod('a'), status: { phase: 'Running' } }) });
    expect((await core.readNamespacedPodStatus({ namespace: ns, name: 'a' })).status?.phase).toBe('Pending');

    const current = await core.readNamespacedPod({ namespace: ns, name: 'a' });
    const viaMain = await core.replaceNamespacedPod({ namespace: ns, name: 'a', body: relabelled(current, { l: '1' }, { phase: 'Succeeded' }) });
    expect(viaMain.metadata?.labels).toEqual({ l: '1' });
    expect(viaMain.status?.phase).toBe('Pending');

    const viaStatus = await core.patchNamespacedPodStatus({ namespace: ns, name: 'a', body: { metadata: { labels: { l: '2' } }, status: { phase: 'Running' } } }, mergePatch);
    expect(viaStatus.status?.phase).toBe('Running');
    expect(viaStatus.metadata?.labels).toEqual({ l: '1' });

    const badStatus = await statusOf(core.patchNamespacedPodStatus({ namespace: ns, name: 'a', body: { status: { phase: 'Exploded' } } }, mergePatch));
    expect(badStatus.details?.causes).toEqual([expect.objectContaining({ field: 'status.phase', reason: 'FieldValueNotSupported' })]);

    const forbidden = await statusOf(core.patchNamespacedPod({ namespace: ns, name: 'a', body: { spec: { restartPolicy: 'Always' } } }, mergePatch));
    expect(forbidden).toMatchObject({ reason: 'Invalid', details: { causes: [{ field: 'spec', reason: 'FieldValueForbidden' }] } });
  });

  it('selects by every label selector operator and by metadata.name and status.phase', async () => {
    await core.createNamespacedPod({ namespace: ns, body: pod('a', { tier: 'web', env: 'prod' }) });
    await core.createNamespacedPod({ namespace: ns, body: pod('b', { tier: 'db' }) });
    await core.createNamespacedPod({ namespace: ns, body: pod('c', {}) });
    await core.patchNamespacedPodStatus({ namespace: ns, name: 'b', body: { status: { phase: 'Running' } } }, mergePatch);
    const names = async (labelSelector?: string, fieldSelector?: string): Promise<string[]> =>
      (await core.listNamespacedPod({ namespace: ns, ...(labelSelector === undefined ? {} : { labelSelector }), ...(fieldSelector === undefined ? {} : { fieldSelector }) })).items.map((p) => p.metadata?.name ?? '');

    expect(await names('tier=web')).toEqual(['a']);
    expect(await names('tier==db')).toEqual(['b']);
    expect(await names('tier!=web')).toEqual(['b', 'c']);
    expect(await names('tier in (web, db)')).toEqual(['a', 'b']);
    expect(await names('tier notin (web)')).toEqual(['b', 'c']);
    expect(await names('env')).toEqual(['a']);
    expect(await names('!env')).toEqual(['b', 'c']);
    expect(await names('tier,!env')).toEqual(['b']);
    expect(await names(undefined, 'metadata.name=c')).toEqual(['c']);
    expect(await names(undefined, 'status.phase=Running')).toEqual(['b']);
    expect(await names(undefined, 'status.phase!=Running')).toEqual(['a', 'c']);
    expect(await statusOf(core.listNamespacedPod({ namespace: ns, fieldSelector: 'spec.bogus=1' }))).toMatchObject({ code: 400, reason: 'BadRequest' });
    expect(await statusOf(core.listNamespacedPod({ namespace: ns, labelSelector: 'a in (' }))).toMatchObject({ code: 400 });
  });

  it('pages a list with limit and continue, in name order, with the first page’s resourceVersion', async () => {
    for (const n of ['e', 'b', 'd', 'a', 'c']) await core.createNamespacedPod({ namespace: ns, body: pod(n) });
    await core.createNamespacedPod({ namespace: 'default', body: pod('other') });
    const first = await core.listNamespacedPod({ namespace: ns, limit: 2 });
    expect(first.items.map((p) => p.metadata?.name)).toEqual(['a', 'b']);
    expect(first.metadata?.remainingItemCount).toBe(3);
    await core.createNamespacedPod({ namespace: ns, body: pod('f') });
    const second = await core.listNamespacedPod({ namespace: ns, limit: 2, _continue: first.metadata?._continue ?? '' });
    expect(second.items.map((p) => p.metadata?.name)).toEqual(['c', 'd']);
    expect(second.metadata?.resourceVersion).toBe(first.metadata?.resourceVersion);
    const third = await core.listNamespacedPod({ namespace: ns, limit: 2, _continue: second.metadata?._continue ?? '' });
    expect(third.items.map((p) => p.metadata?.name)).toEqual(['e', 'f']);
    expect(third.metadata?._continue).toBeUndefined();
    expect((await core.listPodForAllNamespaces()).items).toHaveLength(7);
  });

  it('serves container logs as text, and asks for a container name when there are several', async () => {
    await core.createNamespacedPod({ namespace: ns, body: pod('a', {}, [{ name: 'test', image: 'x' }, { name: 'sidecar', image: 'y' }]) });
    server.store.setPodLog(ns, 'a', 'test', 'line 1\nline 2\n');
    expect(await core.readNamespacedPodLog({ namespace: ns, name: 'a', container: 'test' })).toBe('line 1\nline 2\n');
    expect(await core.readNamespacedPodLog({ namespace: ns, name: 'a', container: 'test', tailLines: 1 })).toBe('line 2\n');
    expect(await core.readNamespacedPodLog({ namespace: ns, name: 'a', container: 'sidecar' })).toBe('');
    expect(await statusOf(core.readNamespacedPodLog({ namespace: ns, name: 'a' }))).toMatchObject({ code: 400 });
    expect(await statusOf(core.readNamespacedPodLog({ namespace: ns, name: 'gone', container: 'test' }))).toMatchObject({ code: 404 });
  });

  it('holds an object with finalizers until the last one is removed', async () => {
    await core.createNamespacedPod({ namespace: ns, body: asPod({ ...plainPod('a'), metadata: { name: 'a', finalizers: ['prow.k8s.io/gcsk8sreporter'] } }) });
    await core.deleteNamespacedPod({ namespace: ns, name: 'a' });
    const held = await core.readNamespacedPod({ namespace: ns, name: 'a' });
    expect(held.metadata?.deletionTimestamp).toBeInstanceOf(Date);
    await core.patchNamespacedPod({ namespace: ns, name: 'a', body: [{ op: 'remove', path: '/metadata/finalizers' }] });
    expect(await statusOf(core.readNamespacedPod({ namespace: ns, name: 'a' }))).toMatchObject({ code: 404 });
  });
});

describe('ProwJobs through CustomObjectsApi', () => {
  it('creates, lists by label, and keeps status to the status subresource', async () => {
    const created = (await custom.createNamespacedCustomObject({ ...prowJobs, body: prowJob('pj-1', { 'prow.k8s.io/type': 'periodic' }) })) as ProwJobObject;
    // With the status subresource, Kubernetes drops status on create.
    expect(created.status).toBeUndefined();
    expect(created.metadata.generation).toBe(1);
    await custom.createNamespacedCustomObject({ ...prowJobs, body: prowJob('pj-2', { 'prow.k8s.io/type': 'presubmit' }) });

    const listed = (await custom.listNamespacedCustomObject({ ...prowJobs, labelSelector: 'prow.k8s.io/type=periodic' })) as { items: ProwJobObject[] };
    expect(listed.items.map((j) => j.metadata.name)).toEqual(['pj-1']);

    const patched = (await custom.patchNamespacedCustomObjectStatus({ ...prowJobs, name: 'pj-1', body: { status: { state: 'pending', startTime: '2026-01-01T00:00:00Z' }, spec: { job: 'changed' } } }, mergePatch)) as ProwJobObject;
    expect(patched.status).toEqual({ state: 'pending', startTime: '2026-01-01T00:00:00Z' });
    expect(patched.spec.job).toBe('ci-unit');

    const viaMain = (await custom.patchNamespacedCustomObject({ ...prowJobs, name: 'pj-1', body: { status: { state: 'success' }, spec: { report: true } } }, mergePatch)) as ProwJobObject;
    expect(viaMain.status?.state).toBe('pending');
    expect(viaMain.spec.report).toBe(true);
    expect(viaMain.metadata.generation).toBe(2);
    expect(server.prowJob(ns, 'pj-1').status).toEqual({ state: 'pending', startTime: '2026-01-01T00:00:00Z' });
  });

  it('answers a replace with a stale resourceVersion with 409 Conflict', async () => {
    const created = (await custom.createNamespacedCustomObject({ ...prowJobs, body: prowJob('pj-1') })) as ProwJobObject;
    await custom.patchNamespacedCustomObject({ ...prowJobs, name: 'pj-1', body: { metadata: { labels: { a: 'b' } } } }, mergePatch);
    const stale = await statusOf(custom.replaceNamespacedCustomObject({ ...prowJobs, name: 'pj-1', body: { ...created, spec: { ...created.spec, report: true } } }));
    expect(stale).toMatchObject({ kind: 'Status', reason: 'Conflict', code: 409, details: { name: 'pj-1', group: 'prow.k8s.io', kind: 'prowjobs' } });
    expect(stale.message).toContain('prowjobs.prow.k8s.io "pj-1"');
  });

  it('validates against Prow’s CRD schema, and refuses strategic merge patch as Kubernetes does for custom resources', async () => {
    const bad = prowJob('pj-bad');
    bad.spec.type = 'nightly';
    bad.spec.bogus = 1;
    const invalid = await statusOf(custom.createNamespacedCustomObject({ ...prowJobs, body: bad }));
    expect(invalid).toMatchObject({ reason: 'Invalid', code: 422, details: { kind: 'ProwJob', group: 'prow.k8s.io' } });
    expect(invalid.details?.causes?.map((c) => c.field).sort()).toEqual(['spec.bogus', 'spec.type']);

    await custom.createNamespacedCustomObject({ ...prowJobs, body: prowJob('pj-1') });
    expect(await statusOf(custom.patchNamespacedCustomObject({ ...prowJobs, name: 'pj-1', body: { spec: { report: true } } }, strategicPatch))).toMatchObject({ code: 415 });
    const badStatus = await statusOf(custom.patchNamespacedCustomObjectStatus({ ...prowJobs, name: 'pj-1', body: { status: { state: 'exploded' } } }, mergePatch));
    expect(badStatus.details?.causes).toEqual([expect.objectContaining({ field: 'status.state', reason: 'FieldValueNotSupported' })]);
  });

  it('serves Prow’s CRD as published (no status subresource) when asked', async () => {
    const plain = await startKubeApiServer({ namespaces: [ns], prowJobStatusSubresource: false });
    try {
      const api = plain.kubeConfig(ns).makeApiClient(k8s.CustomObjectsApi);
      const created = (await api.createNamespacedCustomObject({ ...prowJobs, body: prowJob('pj-1') })) as ProwJobObject;
      expect(created.status?.state).toBe('triggered');
      expect(await statusOf(api.getNamespacedCustomObjectStatus({ ...prowJobs, name: 'pj-1' }))).toMatchObject({ code: 404 });
    } finally {
      await plain.close();
    }
  });
});

describe('watching', () => {
  it('feeds an informer its list, then adds, updates and deletes', async () => {
    const informer = k8s.makeInformer(kc, `/api/v1/namespaces/${ns}/pods`, () => core.listNamespacedPod({ namespace: ns }));
    const seen: string[] = [];
    informer.on('add', (p) => seen.push(`add ${p.metadata?.name ?? ''}`));
    informer.on('update', (p) => seen.push(`update ${p.metadata?.name ?? ''} ${p.status?.phase ?? ''}`));
    informer.on('delete', (p) => seen.push(`delete ${p.metadata?.name ?? ''}`));
    await core.createNamespacedPod({ namespace: ns, body: pod('before') });
    await informer.start();
    try {
      expect(seen).toEqual(['add before']);
      await core.createNamespacedPod({ namespace: ns, body: pod('after') });
      await core.patchNamespacedPodStatus({ namespace: ns, name: 'after', body: { status: { phase: 'Running' } } }, mergePatch);
      await core.deleteNamespacedPod({ namespace: ns, name: 'before' });
      await until('four informer events', () => seen.length === 4, { everyMs: 5 });
      expect(seen).toEqual(['add before', 'add after', 'update after Running', 'delete before']);
    } finally {
      await informer.stop();
    }
  });

  it('resumes an informer after the server closes its watch, and relists when its resourceVersion expired', async () => {
    const informer = k8s.makeInformer(kc, `/api/v1/namespaces/${ns}/pods`, () => core.listNamespacedPod({ namespace: ns }));
    const seen: string[] = [];
    let connects = 0;
    informer.on('connect', () => connects++);
    informer.on('add', (p) => seen.push(`add ${p.metadata?.name ?? ''}`));
    informer.on('delete', (p) => seen.push(`delete ${p.metadata?.name ?? ''}`));
    await core.createNamespacedPod({ namespace: ns, body: pod('one') });
    await informer.start();
    try {
      server.closeWatches();
      await core.createNamespacedPod({ namespace: ns, body: pod('two') });
      await until('the add after the watch was closed', () => seen.includes('add two'), { everyMs: 5 });
      expect(connects).toBe(2);

      // The history forgotten and the watch closed: the informer's resourceVersion is too old, so it relists
      // and learns of the deletion it missed.
      await until('the informer watching again', () => server.store.watching(server.type('', 'v1', 'pods')) > 0, { everyMs: 5 });
      server.store.compact();
      server.closeWatches();
      server.store.delete(server.type('', 'v1', 'pods'), ns, 'one');
      await until('the deletion seen through a relist', () => seen.includes('delete one'), { everyMs: 5 });
      expect(informer.list().map((p) => p.metadata?.name)).toEqual(['two']);
    } finally {
      await informer.stop();
    }
  });

  it('streams events with bookmarks to Watch, from a resourceVersion, and turns selector moves into ADDED and DELETED', async () => {
    const start = (await core.listNamespacedPod({ namespace: ns })).metadata?.resourceVersion ?? '';
    await core.createNamespacedPod({ namespace: ns, body: pod('a', { ci: 'yes' }) });
    const events: string[] = [];
    const req = await new k8s.Watch(kc).watch(
      `/api/v1/namespaces/${ns}/pods`,
      { resourceVersion: start, allowWatchBookmarks: true, labelSelector: 'ci=yes' },
      (type: string, obj: k8s.V1Pod) => events.push(type === 'BOOKMARK' ? `BOOKMARK ${obj.metadata?.resourceVersion ?? ''}` : `${type} ${obj.metadata?.name ?? ''}`),
      () => undefined,
    );
    try {
      await core.patchNamespacedPod({ namespace: ns, name: 'a', body: { metadata: { labels: { ci: 'no' } } } }, mergePatch);
      await core.createNamespacedPod({ namespace: ns, body: pod('b', { ci: 'no' }) });
      await core.patchNamespacedPod({ namespace: ns, name: 'b', body: { metadata: { labels: { ci: 'yes' } } } }, mergePatch);
      await until('a bookmark at the newest resourceVersion', () => events.includes(`BOOKMARK ${server.store.resourceVersion}`), { everyMs: 5 });
      expect(events.filter((e) => !e.startsWith('BOOKMARK'))).toEqual(['ADDED a', 'DELETED a', 'ADDED b']);
    } finally {
      req.abort();
    }
  });

  it('answers a watch from a forgotten resourceVersion with a 410 Expired event, and an old continue token with 410', async () => {
    for (const n of ['a', 'b', 'c']) await core.createNamespacedPod({ namespace: ns, body: pod(n) });
    const page = await core.listNamespacedPod({ namespace: ns, limit: 1 });
    await core.createNamespacedPod({ namespace: ns, body: pod('d') });
    server.store.compact();

    const events: { type: string; obj: KubeStatus }[] = [];
    let ended = false;
    await new k8s.Watch(kc).watch(`/api/v1/namespaces/${ns}/pods`, { resourceVersion: page.metadata?.resourceVersion }, (type: string, obj: KubeStatus) => events.push({ type, obj }), () => (ended = true));
    await until('the watch to end', () => ended, { everyMs: 5 });
    expect(events).toEqual([{ type: 'ERROR', obj: expect.objectContaining({ kind: 'Status', code: 410, reason: 'Expired' }) as unknown }]);

    expect(await statusOf(core.listNamespacedPod({ namespace: ns, limit: 1, _continue: page.metadata?._continue ?? '' }))).toMatchObject({ code: 410, reason: 'Expired' });
  });

  it('keeps a bounded history: past it, resuming a watch is 410', async () => {
    const small = await startKubeApiServer({ namespaces: [ns], historyLimit: 2 });
    try {
      const pods = small.type('', 'v1', 'pods');
      const first = small.store.create(pods, ns, pod('a'));
      for (const n of ['b', 'c', 'd']) small.store.create(pods, ns, pod(n));
      const gone: (KubeStatus | undefined)[] = [];
      small.store.watch(pods, ns, { resourceVersion: first.metadata.resourceVersion, onEvent: () => undefined, onEnd: (e) => gone.push(e) });
      expect(gone).toEqual([expect.objectContaining({ code: 410 })]);
      const names: string[] = [];
      const handle = small.store.watch(pods, ns, { resourceVersion: String(Number(small.store.resourceVersion) - 2), onEvent: (e) => names.push(e.object.metadata.name ?? ''), onEnd: () => undefined });
      handle.stop();
      expect(names).toEqual(['c', 'd']);
    } finally {
      await small.close();
    }
  });

  it('ends a watch after timeoutSeconds', async () => {
    let ended = false;
    await new k8s.Watch(kc).watch(`/api/v1/namespaces/${ns}/pods`, { timeoutSeconds: 1 }, () => undefined, () => (ended = true));
    await until('the timeout', () => ended, { timeoutMs: 3000, everyMs: 5 });
  });
});

describe('the rest of the API surface', () => {
  it('refuses a request without the bearer token', async () => {
    const res = await fetch(`${server.url}/api/v1/namespaces/${ns}/pods`);
    expect(res.status).toBe(401);
    expect(((await res.json()) as KubeStatus).reason).toBe('Unauthorized');
  });

  it('serves client-node over one connection when the KubeConfig asks for keep-alive', async () => {
    const shared = server.kubeConfig(ns, { keepAlive: true }).makeApiClient(k8s.CoreV1Api);
    const before = server.connections();
    for (let i = 0; i < 5; i++) await shared.listNamespacedPod({ namespace: ns });
    expect(server.connections() - before).toBe(1);
    for (let i = 0; i < 2; i++) await core.listNamespacedPod({ namespace: ns });
    expect(server.connections() - before).toBe(3);
  });

  it('answers discovery, so KubernetesObjectApi can map kinds to resources', async () => {
    const objects = k8s.KubernetesObjectApi.makeApiClient(kc);
    await custom.createNamespacedCustomObject({ ...prowJobs, body: prowJob('pj-1') });
    await core.createNamespacedPod({ namespace: ns, body: pod('a') });
    expect((await objects.read({ apiVersion: 'prow.k8s.io/v1', kind: 'ProwJob', metadata: { name: 'pj-1', namespace: ns } })).metadata?.uid).toBeDefined();
    expect((await objects.read({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'a', namespace: ns } })).metadata?.name).toBe('a');
    const groups = await kc.makeApiClient(k8s.ApisApi).getAPIVersions();
    expect(groups.groups.map((g) => g.name)).toContain('prow.k8s.io');
  });

  it('creates namespaces, Secrets (stringData becomes base64 data) and ConfigMaps', async () => {
    await core.createNamespace({ body: manifest({ metadata: { name: 'test-pods' } }) as k8s.V1Namespace });
    expect((await core.readNamespace({ name: 'test-pods' })).status?.phase).toBe('Active');
    expect((await core.listNamespace()).items.map((n) => n.metadata?.name)).toEqual(['ci', 'default', 'test-pods']);
    await core.createNamespacedSecret({ namespace: 'test-pods', body: manifest({ metadata: { name: 'gcs-credentials' }, stringData: { 'service-account.json': '{"k":1}' } }) as k8s.V1Secret });
    const secret = await core.readNamespacedSecret({ namespace: 'test-pods', name: 'gcs-credentials' });
    expect(Buffer.from(secret.data?.['service-account.json'] ?? '', 'base64').toString()).toBe('{"k":1}');
    expect(secret.type).toBe('Opaque');
    await core.createNamespacedConfigMap({ namespace: 'test-pods', body: manifest({ metadata: { name: 'config' }, data: { 'config.yaml': 'a: 1' } }) as k8s.V1ConfigMap });
    expect((await core.readNamespacedConfigMap({ namespace: 'test-pods', name: 'config' })).data).toEqual({ 'config.yaml': 'a: 1' });
  });
});
