import { isValidLabelValue, prowLabels, type JobStore, type ProwJob } from '../../../lib/jobs/index.ts';

/** A pool as its jobs are looked up: the branch and the base SHA of this sync. */
export interface PoolBase {
  org: string;
  repo: string;
  branch: string;
  baseSha: string;
}

/**
 * The presubmit and batch ProwJobs run against a pool's current base (Prow's `org/repo:branch@baseSHA` index):
 * only they count, since any other base is out of date.
 */
export type PoolJobs = (pool: PoolBase) => Promise<readonly ProwJob[]>;

/** Whether `job` tested the pool's branch at exactly its current base. */
export function onPoolBase(job: ProwJob, pool: PoolBase): boolean {
  const refs = job.spec.refs;
  return (
    (job.spec.type === 'presubmit' || job.spec.type === 'batch') &&
    refs?.org === pool.org &&
    refs.repo === pool.repo &&
    refs.base_ref === pool.branch &&
    refs.base_sha === pool.baseSha
  );
}

/**
 * A pool's jobs read from a JobStore: listed by the org and repo labels Prow puts on every ProwJob (all jobs
 * when a name is no valid label value, since the label was then dropped), then kept by their refs.
 */
export function poolJobsFromStore(store: JobStore): PoolJobs {
  return async (pool) => {
    const labelled = isValidLabelValue(pool.org) && isValidLabelValue(pool.repo);
    const jobs = await store.list(labelled ? { labels: { [prowLabels.org]: pool.org, [prowLabels.repo]: pool.repo } } : undefined);
    return jobs.filter((j) => onPoolBase(j, pool));
  };
}
