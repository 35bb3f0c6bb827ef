import { ApiException, CustomObjectsApi, makeInformer, type Informer, type KubeConfig, type KubernetesObject } from '@kubernetes/client-node';
import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { JobConflictError, matchesSelector, updateWithRetry, type CompareAndSetResult, type JobSelector, type JobStore, type JobWatch } from './job-store.ts';
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

/** The status as it reads back from JSON (no undefined fields), so a written one compares equal to the one returned. */
const asJson = (value: unknown): unknown => JSON.parse(JSON.stringify(value ?? null)) as unknown;

/** A ProwJob created on a CRD with the status subresource has no status until its creator writes it. */
const hasStatus = (job: ProwJob): boolean => (job.status as ProwJob['status'] | undefined) !== undefined;

/**
 * The JobStore of cluster mode: ProwJobs as Prow's custom resource (`prowjobs.prow.k8s.io/v1`), so
 * `kubectl get prowjobs` shows them and Prow's own tools read them. Writes replace the whole object with
 * its resourceVersion, and a 409 is retried on the fresh object. Both kinds of CRD are served: Prow's own,
 * with no status subresource (status is written with the object), and starter.yaml's, with it (the API
 * server ignores status on create and replace, so it is written again through `/status`). Until its status
 * is written a ProwJob is not shown: get, list and watch pass over it. Watches are client-node informers. Build ids are time-based (milliseconds since the epoch
 * times 1,000, plus a counter), like Prow's snowflake ids: increasing per job across processes as long as
 * clocks agree.
 */
export function createKubeJobStore(opts: KubeJobStoreOptions): JobStore {
  const api = opts.kubeConfig.makeApiClient(CustomObjectsApi);
  const { namespace } = opts;
  const informers = new Set<Informer<KubernetesObject>>();
  let lastBuildId = 0;

  const read = async (name: string): Promise<ProwJob | undefined> => {
    try {
      return asJob(await api.getNamespacedCustomObject({ group, version, namespace, plural, name }));
    } catch (err) {
      if (codeOf(err) === 404) return undefined;
      throw err;
    }
  };

  const get = async (name: string): Promise<ProwJob | undefined> => {
    const job = await read(name);
    return job !== undefined && hasStatus(job) ? job : undefined;
  };

  /**
   * `stored` as the write that made it answered, carrying `status` too: written through the status
   * subresource, at `stored`'s resourceVersion, when that write dropped it (a CRD with the subresource).
   */
  const keepStatus = async (stored: ProwJob, status: ProwJob['status']): Promise<CompareAndSetResult> => {
    if (isDeepStrictEqual(asJson(stored.status), asJson(status))) return stored;
    try {
      return asJob(await api.replaceNamespacedCustomObjectStatus({ group, version, namespace, plural, name: stored.metadata.name, body: { ...stored, status } }));
    } catch (err) {
      const code = codeOf(err);
      if (code === 404) return 'gone';
      if (code === 409) return 'conflict';
      throw err;
    }
  };

  return {
    async create(job) {
      const name = job.metadata.name || randomUUID();
      const body = { ...job, metadata: { ...job.metadata, name, namespace } };
      delete body.metadata.resourceVersion;
      delete body.metadata.creationTimestamp;
      let created: ProwJob;
      try {
        created = asJob(await api.createNamespacedCustomObject({ group, version, namespace, plural, body }));
      } catch (err) {
        if (codeOf(err) === 409) throw new JobConflictError(`a ProwJob named ${name} already exists`);
        throw err;
      }
      const kept = await keepStatus(created, job.status);
      if (kept !== 'conflict' && kept !== 'gone') return kept;
      // Changed before its status was written: write it on the fresh object, unless another writer has.
      const written = kept === 'gone' ? undefined : await updateWithRetry(name, (current) => (hasStatus(current) ? undefined : { ...current, status: job.status }), read, (current, changed) => keepStatus(current, changed.status));
      if (written === undefined) throw new Error(`ProwJob ${name} was deleted before its status was written; create it again`);
      return written;
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
        jobs.push(...page.items.filter(hasStatus));
        const next = page.metadata?.continue;
        cont = next === undefined || next === '' ? undefined : next;
      } while (cont !== undefined);
      return jobs.sort((a, b) => (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? '') || Number(a.metadata.resourceVersion) - Number(b.metadata.resourceVersion));
    },

    update(name, mutate) {
      return updateWithRetry(name, mutate, get, async (current, changed) => {
        const body = { ...changed, metadata: { ...changed.metadata, name, namespace, resourceVersion: current.metadata.resourceVersion } };
        try {
          return await keepStatus(asJob(await api.replaceNamespacedCustomObject({ group, version, namespace, plural, name, body })), changed.status);
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
      // A job is added when it is first seen with a status, and deleted only if it was added.
      const shown = new Set<string>();
      const deliver = (deleted: boolean) => (obj: KubernetesObject) => {
        const job = asJob(obj);
        const { name } = job.metadata;
        if (deleted) {
          if (shown.delete(name)) onChange({ type: 'DELETED', job });
          return;
        }
        if (!hasStatus(job) || !matchesSelector(job, selector)) return;
        const type = shown.has(name) ? 'MODIFIED' : 'ADDED';
        shown.add(name);
        onChange({ type, job });
      };
      informer.on('add', deliver(false));
      informer.on('update', deliver(false));
      informer.on('delete', deliver(true));
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
