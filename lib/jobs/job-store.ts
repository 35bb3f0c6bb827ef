import type { ProwJob } from './prowjob.ts';

/** Which ProwJobs a list or watch returns: every label given must be present with that value (Kubernetes' equality selector). */
export interface JobSelector {
  labels?: Record<string, string>;
}

/** One change a watcher sees, in Kubernetes' watch vocabulary. */
export interface JobChange {
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  job: ProwJob;
}

/** A running watch; `close` stops it. */
export interface JobWatch {
  close(): Promise<void>;
}

/**
 * Thrown by `update` when the job changed between read and write and `mutate` kept asking for the same
 * change too many times, or by `create` when the name is taken.
 */
export class JobConflictError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JobConflictError';
  }
}

/**
 * Where ProwJobs live: the seam between what creates jobs (trigger, horologium, mkpj, Tide) and what runs and
 * reports them (the controller). Redis in local mode, the ProwJob custom resource in a cluster. Every write
 * sets `metadata.resourceVersion`; `update` is read-modify-write with a compare on it, retried on conflict.
 */
export interface JobStore {
  /** Stores a new job (its `metadata.name` must be unset or unique) and returns it as stored. */
  create(job: ProwJob): Promise<ProwJob>;
  /** The job named `name`, or undefined. */
  get(name: string): Promise<ProwJob | undefined>;
  /** Every job matching `selector`, in creation order. */
  list(selector?: JobSelector): Promise<ProwJob[]>;
  /**
   * Applies `mutate` to the stored job and writes the result if it still is the version read; on a conflict,
   * reads again and retries. `mutate` returns undefined to leave the job unchanged. Returns the job as stored
   * afterwards, or undefined when it does not exist.
   */
  update(name: string, mutate: (job: ProwJob) => ProwJob | undefined): Promise<ProwJob | undefined>;
  /** Removes the job; a missing job is not an error. */
  delete(name: string): Promise<void>;
  /**
   * An informer's list-and-watch in one call: `onChange` gets an ADDED for every matching job that exists,
   * then every later change in order. A job's changes arrive in resourceVersion order and none is missed; after
   * an outage of the store the watch lists again and reports what changed meanwhile.
   */
  watch(onChange: (change: JobChange) => void, selector?: JobSelector): Promise<JobWatch>;
  /** The next build id of job `jobName`: increasing, never reused, shared by every process using the store. */
  nextBuildId(jobName: string): Promise<string>;
  close(): Promise<void>;
}

/** True when every label in `selector` is on `job` with the same value. */
export function matchesSelector(job: ProwJob, selector: JobSelector | undefined): boolean {
  const wanted = selector?.labels;
  if (wanted === undefined) return true;
  return Object.entries(wanted).every(([k, v]) => job.metadata.labels[k] === v);
}

/** What one compare-and-set write answered: the job as stored, or why it was not written. */
export type CompareAndSetResult = ProwJob | 'conflict' | 'gone';

/** How many read-modify-write rounds `update` tries before giving up on a job that keeps changing. */
const maxUpdateAttempts = 50;

/**
 * The read-modify-write loop behind every backend's `update`: read the job, apply `mutate` to a copy, and
 * write it with `compareAndSet` (which refuses it when the job changed since `current` was read); on a
 * conflict, read again and retry, up to a bound.
 */
export async function updateWithRetry(
  name: string,
  mutate: (job: ProwJob) => ProwJob | undefined,
  read: (name: string) => Promise<ProwJob | undefined>,
  compareAndSet: (current: ProwJob, changed: ProwJob) => Promise<CompareAndSetResult>,
): Promise<ProwJob | undefined> {
  for (let attempt = 0; attempt < maxUpdateAttempts; attempt++) {
    const current = await read(name);
    if (current === undefined) return undefined;
    const changed = mutate(structuredClone(current));
    if (changed === undefined) return current;
    const result = await compareAndSet(current, changed);
    if (result === 'gone') return undefined;
    if (result !== 'conflict') return result;
  }
  throw new JobConflictError(`ProwJob ${name} kept changing under ${String(maxUpdateAttempts)} attempts to update it`);
}
