import { ApiException, CustomObjectsApi, makeInformer, type Informer, type KubeConfig, type KubernetesObject } from '@kubernetes/client-node';
import { randomUUID } from 'node:crypto';
import { JobConflictError, matchesSelector, updateWithRetry, type JobChange, type JobSelector, type JobStore, type JobWatch } from './job-store.ts';
import type { ProwJob } from './prowjob.ts';

const group = 'prow.k8s.io';
const version = 'v1';
const plural = 'prowjobs';

export interface KubeJobStoreOptions {
  kubeConfig: KubeConfig;
  /** Where ProwJobs live: Prow's `prowjob_namespace`. */
  namespace: string;
}

const codeOf = (err: unknown): number | undefined => (err instanceof ApiException ? err.code : undefined);

function labelSelector(selector: JobSelector | undefined): string | undefined {
  const labels = selector?.labels;
  if (labels === undefined) return undefined;
  return Object.entries(labels).map(([k, v]) => `${k}=${v}`).join(',');
}

/** client-node sends a plain object as its JSON and returns parsed JSON; its signatures say `object`. */
const asJob = (value: unknown): ProwJob => value as ProwJob;

/**
 * The JobStore of cluster mode: ProwJobs as Prow's custom resource (`prowjobs.prow.k8s.io/v1`), so
 * `kubectl get prowjobs` shows them and Prow's own tools read them. Writes replace the whole object with
 * its resourceVersion, as Prow does (its CRD has no status subresource), and a 409 is retried on the
 * fresh object. Watches are client-node informers. Build ids are time-based (milliseconds since the epoch
 * times 1,000, plus a counter), like Prow's snowflake ids: increasing per job across processes as long as
 * clocks agree.
 */
export function createKubeJobStore(opts: KubeJobStoreOptions): JobStore {
  const api = opts.kubeConfig.makeApiClient(CustomObjectsApi);
  const { namespace } = opts;
  const informers = new Set<Informer<KubernetesObject>>();
  let lastBuildId = 0;

  const get = async (name: string): Promise<ProwJob | undefined> => {
    try {
      return asJob(await api.getNamespacedCustomObject({ group, version, namespace, plural, name }));
    } catch (err) {
      if (codeOf(err) === 404) return undefined;
      throw err;
    }
  };

  return {
    async create(job) {
      const name = job.metadata.name || randomUUID();
      const body = { ...job, metadata: { ...job.metadata, name, namespace } };
      delete body.metadata.resourceVersion;
      delete body.metadata.creationTimestamp;
      try {
        return asJob(await api.createNamespacedCustomObject({ group, version, namespace, plural, body }));
      } catch (err) {
        if (codeOf(err) === 409) throw new JobConflictError(`a ProwJob named ${name} already exists`);
        throw err;
      }
    },

    get,

    async list(selector) {
      const jobs: ProwJob[] = [];
      let cont: string | undefined;
      const ls = labelSelector(selector);
      do {
        const page = (await api.listNamespacedCustomObject({
          group,
          version,
          namespace,
          plural,
          limit: 500,
          ...(ls === undefined ? {} : { labelSelector: ls }),
          ...(cont === undefined ? {} : { _continue: cont }),
        })) as { items: ProwJob[]; metadata?: { continue?: string } };
        jobs.push(...page.items);
        const next = page.metadata?.continue;
        cont = next === undefined || next === '' ? undefined : next;
      } while (cont !== undefined);
      return jobs.sort((a, b) => (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? '') || Number(a.metadata.resourceVersion) - Number(b.metadata.resourceVersion));
    },

    update(name, mutate) {
      return updateWithRetry(name, mutate, get, async (current, changed) => {
        const body = { ...changed, metadata: { ...changed.metadata, name, namespace, resourceVersion: current.metadata.resourceVersion } };
        try {
          return asJob(await api.replaceNamespacedCustomObject({ group, version, namespace, plural, name, body }));
        } catch (err) {
          const code = codeOf(err);
          if (code === 404) return 'gone';
          if (code === 409) return 'conflict';
          throw err;
        }
      });
    },

    async delete(name) {
      try {
        await api.deleteNamespacedCustomObject({ group, version, namespace, plural, name });
      } catch (err) {
        if (codeOf(err) !== 404) throw err;
      }
    },

    async watch(onChange, selector) {
      const ls = labelSelector(selector);
      const informer = makeInformer(
        opts.kubeConfig,
        `/apis/${group}/${version}/namespaces/${namespace}/${plural}`,
        () => api.listNamespacedCustomObject({ group, version, namespace, plural, ...(ls === undefined ? {} : { labelSelector: ls }) }) as never,
        ls,
      );
      const deliver = (type: JobChange['type']) => (obj: KubernetesObject) => {
        const job = asJob(obj);
        if (type === 'DELETED' || matchesSelector(job, selector)) onChange({ type, job });
      };
      informer.on('add', deliver('ADDED'));
      informer.on('update', deliver('MODIFIED'));
      informer.on('delete', deliver('DELETED'));
      // client-node's informer stops on an error; start it again, and it lists again (an outage loses nothing).
      informer.on('error', () => {
        setTimeout(() => {
          if (informers.has(informer)) void informer.start().catch(() => undefined);
        }, 1_000).unref();
      });
      informers.add(informer);
      await informer.start();
      const watch: JobWatch = {
        async close() {
          informers.delete(informer);
          await informer.stop();
        },
      };
      return watch;
    },

    nextBuildId() {
      lastBuildId = Math.max(lastBuildId + 1, Date.now() * 1000);
      return Promise.resolve(String(lastBuildId));
    },

    async close() {
      await Promise.all([...informers].map((i) => i.stop()));
      informers.clear();
    },
  };
}
