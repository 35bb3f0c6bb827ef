import type { ProwConfig } from '../../../lib/config/index.ts';
import type { ProwJob } from '../../../lib/jobs/index.ts';

/** Why a triggered job waits, in words for its status and logs; undefined when it may start now. */
export type GateVerdict = string | undefined;

const created = (job: ProwJob): string => job.metadata.creationTimestamp ?? job.status.startTime;

/** True when `other` was triggered before `job` (creation time, then name, so the order is total). */
function olderThan(other: ProwJob, job: ProwJob): boolean {
  const a = created(other);
  const b = created(job);
  return a < b || (a === b && other.metadata.name < job.metadata.name);
}

/** What the gates look at: plank's cache, indexed so a check reads only the jobs it concerns. */
export interface JobPeers {
  /** Every known job named `job` (spec.job). */
  byJob(job: string): Iterable<ProwJob>;
  /** Every known job in job queue `queue`. */
  byQueue(queue: string): Iterable<ProwJob>;
  /** Every known job with supersede key `key` (see supersedeKey). */
  bySupersedeKey(key: string): Iterable<ProwJob>;
  /** How many known jobs are pending (or being started). */
  pendingCount(): number;
  /** True while plank is starting job `name`: it counts as pending before its write lands. */
  isStarting(name: string): boolean;
}

const aheadOf = (job: ProwJob, peers: JobPeers) => (other: ProwJob): boolean =>
  other.metadata.name !== job.metadata.name &&
  (other.status.state === 'pending' || (other.status.state === 'triggered' && (peers.isStarting(other.metadata.name) || olderThan(other, job))));

function count<T>(items: Iterable<T>, ok: (item: T) => boolean): number {
  let n = 0;
  for (const item of items) if (ok(item)) n++;
  return n;
}

/**
 * Whether triggered `job` may start, as Prow's plank decides: its own `max_concurrency` counts the pending
 * jobs of the same name plus the triggered ones older than it (so they start oldest first); `job_queue_name`
 * does the same across the queue, capped by `plank.job_queue_capacities` (0 blocks, negative or absent
 * means no limit); `globalMax` (0 for none) caps pending jobs overall.
 */
export function canStart(job: ProwJob, peers: JobPeers, config: Pick<ProwConfig, 'plank'>, globalMax = 0): GateVerdict {
  const jobLimit = job.spec.max_concurrency ?? 0;
  if (jobLimit > 0 && count(peers.byJob(job.spec.job), aheadOf(job, peers)) >= jobLimit) return `max_concurrency ${String(jobLimit)} of ${job.spec.job} reached`;
  const queue = job.spec.job_queue_name;
  if (queue !== undefined) {
    const capacity = config.plank?.job_queue_capacities?.[queue];
    if (capacity === 0) return `job queue ${queue} has capacity 0`;
    if (capacity !== undefined && capacity > 0 && count(peers.byQueue(queue), aheadOf(job, peers)) >= capacity) return `job queue ${queue} is full (${String(capacity)})`;
  }
  if (globalMax > 0 && peers.pendingCount() >= globalMax) return `controller limit of ${String(globalMax)} running jobs reached`;
  return undefined;
}

/** The key Prow's TerminateOlderJobs groups presubmits by: type, job, repo and base ref, and the PR numbers. */
export function supersedeKey(job: ProwJob): string | undefined {
  const { type, refs } = job.spec;
  if ((type !== 'presubmit' && type !== 'batch') || refs === undefined) return undefined;
  const pulls = (refs.pulls ?? []).map((p) => p.number).sort((a, b) => a - b);
  return [type, job.spec.job, `${refs.org}/${refs.repo}@${refs.base_ref ?? ''}`, pulls.join(',')].join('|');
}

/**
 * The newer run of the same presubmit on the same PRs, finished or not, when there is one: `job` has been
 * superseded by it (a new push) and is aborted, as Prow's TerminateOlderJobs keeps only the newest.
 */
export function supersededBy(job: ProwJob, peers: JobPeers): ProwJob | undefined {
  const key = supersedeKey(job);
  if (key === undefined) return undefined;
  for (const other of peers.bySupersedeKey(key)) {
    if (other.metadata.name === job.metadata.name) continue;
    if (other.status.startTime > job.status.startTime || (other.status.startTime === job.status.startTime && olderThan(job, other))) return other;
  }
  return undefined;
}
