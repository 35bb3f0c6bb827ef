import { createHash } from 'node:crypto';
import { presubmitsFor, type Presubmit, type ProwConfig } from '../../lib/config/index.ts';
import { finalStates, newBatchJob, prowLabels, type JobStore, type ProwJob, type Pull } from '../../lib/jobs/index.ts';
import type { TidePull } from './pull.ts';

/** The labels and annotations that tie a batch ProwJob to its pool and train. */
export const tideLabels = {
  /** Prow's Tide marks the jobs it creates with this label. */
  createdByTide: 'created-by-tide',
  /** A short hash of the pool key (`org/repo:branch` is no valid label value); the key is in the annotation. */
  pool: 'tide.prow-ts.dev/pool',
  train: 'tide.prow-ts.dev/train',
  attempt: 'tide.prow-ts.dev/attempt',
  trainSha: 'tide.prow-ts.dev/train-sha',
} as const;

/** The label value naming a pool. */
export function poolId(key: string): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 16);
}

/** What a train's jobs run on. */
export interface TrainTarget {
  poolKey: string;
  org: string;
  repo: string;
  branch: string;
  trainId: string;
  /** The train's commit. */
  sha: string;
  /** Every PR in the commit, in landing order. */
  members: readonly Pick<TidePull, 'number' | 'author' | 'headSha' | 'title' | 'headRefName'>[];
}

/** The presubmits of `org/repo` by job name. */
export function presubmitsByName(config: ProwConfig, org: string, repo: string): Map<string, Presubmit> {
  return new Map(presubmitsFor(config, `${org}/${repo}`).map((p) => [p.name, p]));
}

/**
 * The required jobs of a commit made of PRs with these required contexts: the presubmits behind the union of
 * their contexts, by name, sorted. A required context that no presubmit reports (an external CI) cannot be
 * run by Tide and is left to the PR's own status.
 */
export function jobsForContexts(config: ProwConfig, org: string, repo: string, contexts: Iterable<string>): string[] {
  const wanted = new Set(contexts);
  return presubmitsFor(config, `${org}/${repo}`)
    .filter((p) => wanted.has(p.context))
    .map((p) => p.name)
    .sort();
}

/**
 * Creates one run of `job` on the train: a `batch` ProwJob whose base is the train's commit, with every member
 * as a pull. The commit already holds each member, so cloning it and merging the pulls again changes nothing:
 * the job tests exactly the commit that lands.
 */
export async function startTrainJob(jobs: JobStore, presubmit: Presubmit, target: TrainTarget, attempt: number, namespace: string | undefined): Promise<ProwJob> {
  const pulls: Pull[] = target.members.map((m) => ({ number: m.number, author: m.author, sha: m.headSha, title: m.title, head_ref: m.headRefName }));
  const job = newBatchJob(
    presubmit,
    { org: target.org, repo: target.repo, base_ref: target.branch, base_sha: target.sha, pulls },
    {
      namespace,
      labels: { [tideLabels.createdByTide]: 'true', [tideLabels.pool]: poolId(target.poolKey), [tideLabels.train]: target.trainId, [tideLabels.attempt]: String(attempt) },
    },
  );
  job.metadata.annotations[tideLabels.pool] = target.poolKey;
  job.metadata.annotations[tideLabels.trainSha] = target.sha;
  return jobs.create(job);
}

/** How a train job's latest run stands: still running, passed, failed (any other final state), or gone. */
export async function runResult(jobs: JobStore, name: string): Promise<'running' | 'passed' | 'failed'> {
  const job = await jobs.get(name);
  if (job === undefined) return 'failed';
  if (!finalStates.has(job.status.state)) return 'running';
  return job.status.state === 'success' ? 'passed' : 'failed';
}

/** Aborts the runs that have not finished; plank stops them. */
export async function abortRuns(jobs: JobStore, names: readonly string[], why: string): Promise<void> {
  for (const name of names) {
    await jobs.update(name, (job) => {
      if (finalStates.has(job.status.state)) return undefined;
      return { ...job, status: { ...job.status, state: 'aborted', description: why, completionTime: new Date().toISOString() } };
    });
  }
}

/** A PR's presubmit runs, for reusing results on the base and for releasing an ejected PR. */
export function presubmitRunsOf(jobs: JobStore, pull: Pick<TidePull, 'org' | 'repo' | 'number'>): Promise<ProwJob[]> {
  return jobs.list({ labels: { [prowLabels.type]: 'presubmit', [prowLabels.org]: pull.org, [prowLabels.repo]: pull.repo, [prowLabels.pull]: String(pull.number) } });
}
