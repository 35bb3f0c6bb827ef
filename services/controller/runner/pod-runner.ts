import { ApiException, CoreV1Api, makeInformer, type Informer, type KubeConfig, type V1Pod, type V1PodStatus } from '@kubernetes/client-node';
import type { Logger } from '../../../lib/log.ts';
import { podFor, type PodObject, type PodSpecOptions } from './pod-spec.ts';
import { RunRejectedError, type RunPhase, type Runner } from './runner.ts';

export interface PodRunnerOptions extends PodSpecOptions {
  kubeConfig: KubeConfig;
  log: Logger;
}

const selector = 'created-by-prow=true';

function statusCode(err: unknown): number | undefined {
  return err instanceof ApiException ? err.code : undefined;
}

/** client-node sends a plain object as its JSON; its types ask for the model class. */
function asV1Pod(pod: PodObject): V1Pod {
  const plain: unknown = pod;
  return plain as V1Pod;
}

const iso = (d: Date | string | undefined): string | undefined => (d === undefined ? undefined : new Date(d).toISOString());

/** Where a Pod stands, in plank's terms, as Prow's plank reads Pods. */
export function phaseOf(pod: V1Pod): RunPhase {
  const status: Partial<V1PodStatus> = pod.status ?? {};
  const since = iso(status.startTime) ?? iso(pod.metadata?.creationTimestamp) ?? new Date().toISOString();
  const oom = [...(status.containerStatuses ?? []), ...(status.initContainerStatuses ?? [])].some((c) => c.state?.terminated?.reason === 'OOMKilled');
  switch (status.phase) {
    case 'Running':
      return { phase: 'running', since };
    case 'Succeeded':
      return { phase: 'succeeded' };
    case 'Failed':
      if (oom) return { phase: 'error', reason: 'Job pod was OOM killed by the cluster.' };
      if (status.reason === 'Evicted') return { phase: 'error', reason: 'Job pod was evicted by the cluster.', evicted: true };
      return { phase: 'failed', ...(status.reason === undefined ? {} : { reason: status.reason }) };
    default: {
      const scheduled = pod.spec?.nodeName !== undefined || (status.conditions ?? []).some((c) => c.type === 'PodScheduled' && c.status === 'True');
      const waiting = [...(status.initContainerStatuses ?? []), ...(status.containerStatuses ?? [])].find((c) => c.state?.waiting?.reason)?.state?.waiting?.reason;
      return { phase: 'pending', scheduled, since, ...(waiting === undefined ? {} : { reason: waiting }) };
    }
  }
}

/**
 * The runner of cluster mode: each job is a Pod (see pod-spec.ts) in the build namespace, followed through an
 * informer on Pods labelled `created-by-prow=true`, so phase reads cost no API call. A create refused with a
 * 4xx (bad spec, quota) is a RunRejectedError, which plank turns into an `error` job; 5xx and network errors
 * are thrown, so plank retries them.
 */
export async function createPodRunner(opts: PodRunnerOptions): Promise<Runner> {
  const core = opts.kubeConfig.makeApiClient(CoreV1Api);
  const namespace = opts.namespace;
  const pods = new Map<string, V1Pod>();
  const listeners: ((name: string) => void)[] = [];
  const changed = (pod: V1Pod): void => {
    const name = pod.metadata?.name;
    if (name === undefined) return;
    for (const l of listeners) l(name);
  };
  const informer: Informer<V1Pod> = makeInformer(
    opts.kubeConfig,
    `/api/v1/namespaces/${namespace}/pods`,
    () => core.listNamespacedPod({ namespace, labelSelector: selector }),
    selector,
  );
  const keep = (pod: V1Pod): void => {
    const name = pod.metadata?.name;
    if (name !== undefined) pods.set(name, pod);
    changed(pod);
  };
  informer.on('add', keep);
  informer.on('update', keep);
  informer.on('delete', (pod) => {
    if (pod.metadata?.name !== undefined) pods.delete(pod.metadata.name);
    changed(pod);
  });
  informer.on('error', (err: unknown) => {
    opts.log.warn({ err }, 'pod watch failed; restarting it');
    setTimeout(() => {
      void informer.start().catch(() => undefined);
    }, 1_000).unref();
  });
  await informer.start();

  const runner: Runner = {
    kind: 'pod',

    async start(job) {
      const name = job.metadata.name;
      if (pods.has(name)) return;
      let body: PodObject;
      try {
        body = podFor(job, opts);
      } catch (err) {
        throw new RunRejectedError(err instanceof Error ? err.message : String(err));
      }
      try {
        const created = await core.createNamespacedPod({ namespace: body.metadata.namespace, body: asV1Pod(body) });
        // The informer may have heard of this Pod, even of its end, before the create answered: what it
        // holds is then newer than the create's answer, which must not overwrite it.
        if (!pods.has(name)) pods.set(name, created);
      } catch (err) {
        const code = statusCode(err);
        if (code === 409) return;
        if (code !== undefined && code >= 400 && code < 500) {
          const body = err instanceof ApiException ? (err.body as unknown) : undefined;
          const message = typeof body === 'string' ? ((JSON.parse(body) as { message?: string }).message ?? body) : String(err);
          throw new RunRejectedError(message);
        }
        throw err;
      }
    },

    phase(name) {
      const pod = pods.get(name);
      return Promise.resolve(pod === undefined ? undefined : phaseOf(pod));
    },

    async stop(name) {
      try {
        await core.deleteNamespacedPod({ name, namespace });
      } catch (err) {
        if (statusCode(err) !== 404) throw err;
      }
      pods.delete(name);
    },

    list() {
      return Promise.resolve([...pods.keys()]);
    },

    async podInfo(name) {
      const pod = pods.get(name);
      if (pod === undefined) return undefined;
      const events = await core
        .listNamespacedEvent({ namespace, fieldSelector: `involvedObject.name=${name}` })
        .then((list) => list.items as unknown[])
        .catch((err: unknown) => {
          opts.log.debug({ err, pod: name }, 'cannot list the Pod\'s events');
          return [];
        });
      return { pod, events };
    },

    onChange(listener) {
      listeners.push(listener);
    },

    async close() {
      await informer.stop();
    },
  };
  return runner;
}
