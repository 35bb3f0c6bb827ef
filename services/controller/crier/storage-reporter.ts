import { finalStates, type ProwJob } from '../../../lib/jobs/index.ts';
import type { Logger } from '../../../lib/log.ts';
import { jobStoragePath, storeLocationOf, storePool, type OpenStoreOptions } from '../../../lib/storage/index.ts';
import type { Finished, Started } from '../../../pod-utils/metadata.ts';
import type { Runner } from '../runner/runner.ts';
import type { Reporter } from './reporter.ts';

/** Prow's name for the reporter that writes prowjob.json. */
export const storageReporterName = 'gcsreporter';

export interface StorageReporterOptions {
  log: Logger;
  /** Credentials and endpoints for the stores buckets name. */
  storage?: OpenStoreOptions;
  /** Where every job's files are, whatever its gcs_configuration.bucket says: local mode's storage. */
  bucket?: string;
}

/** `job` as if its gcs_configuration named `bucket`, so the layout is computed the way the uploads were made. */
function withBucket(job: ProwJob, bucket: string | undefined): ProwJob {
  if (bucket === undefined) return job;
  const dc = job.spec.decoration_config ?? {};
  return { ...job, spec: { ...job.spec, decoration_config: { ...dc, gcs_configuration: { ...dc.gcs_configuration, bucket } } } };
}

const unixSeconds = (iso: string | undefined): number => Math.floor(Date.parse(iso ?? new Date().toISOString()) / 1000);

/**
 * crier's storage reporter (Prow's `gcsreporter`): writes `prowjob.json` into the job's build directory at
 * every state, and once the job is over, backfills `started.json` and `finished.json` when the job never
 * wrote them (it failed before its pod utilities ran, or was aborted), so every build in storage can be read.
 */
export function createStorageReporter(opts: StorageReporterOptions): Reporter & { close(): Promise<void> } {
  const stores = storePool(opts.storage);
  const storeFor = (bucket: string) => stores.open(storeLocationOf(bucket));

  return {
    name: storageReporterName,

    shouldReport(job) {
      const dc = job.spec.decoration_config;
      return dc !== undefined && (opts.bucket ?? dc.gcs_configuration?.bucket) !== undefined && job.status.build_id !== undefined;
    },

    async report(job) {
      const { bucket, dir } = jobStoragePath(withBucket(job, opts.bucket));
      const store = await storeFor(bucket);
      await store.put(`${dir}/prowjob.json`, JSON.stringify(job, null, 2), { contentType: 'application/json' });
      if (!finalStates.has(job.status.state)) return;
      if (!(await store.exists(`${dir}/started.json`))) {
        const started: Started = { timestamp: unixSeconds(job.status.pendingTime ?? job.status.startTime) };
        const pull = job.spec.refs?.pulls?.[0];
        if (pull) started.pull = String(pull.number);
        await store.put(`${dir}/started.json`, JSON.stringify(started), { contentType: 'application/json' });
      }
      if (!(await store.exists(`${dir}/finished.json`))) {
        const result = job.status.state === 'success' ? 'SUCCESS' : job.status.state === 'aborted' ? 'ABORTED' : 'FAILURE';
        const finished: Finished = { timestamp: unixSeconds(job.status.completionTime), passed: result === 'SUCCESS', result };
        await store.put(`${dir}/finished.json`, JSON.stringify(finished), { contentType: 'application/json' });
        opts.log.info({ prowjob: job.metadata.name, dir }, 'backfilled finished.json');
      }
    },

    close: () => stores.close(),
  };
}

/** Prow's name for the reporter that writes podinfo.json. */
export const podInfoReporterName = 'gcsk8sreporter';

/**
 * crier's Pod reporter (Prow's `gcsk8sreporter`): once a job that ran as a Pod is over, writes `podinfo.json`
 * ({pod, events}) into its build directory, which the dashboard's podinfo lens reads.
 */
export function createPodInfoReporter(opts: StorageReporterOptions & { runner: Runner }): Reporter & { close(): Promise<void> } {
  const stores = storePool(opts.storage);
  return {
    name: podInfoReporterName,
    shouldReport(job) {
      return opts.runner.podInfo !== undefined && finalStates.has(job.status.state) && job.spec.decoration_config !== undefined && job.status.build_id !== undefined;
    },
    async report(job) {
      const info = await opts.runner.podInfo?.(job.metadata.name);
      if (info === undefined) return;
      const { bucket, dir } = jobStoragePath(withBucket(job, opts.bucket));
      await (await stores.open(storeLocationOf(bucket))).put(`${dir}/podinfo.json`, JSON.stringify(info, null, 2), { contentType: 'application/json' });
    },
    close: () => stores.close(),
  };
}
