import type { ProwJob } from '../../../lib/jobs/index.ts';

/** Where a started job's run stands, as plank reads it from the runner. */
export type RunPhase =
  /** Accepted but not running yet; `scheduled` is false while no node has taken it (a Pod with no startTime). */
  | { phase: 'pending'; scheduled: boolean; since: string; reason?: string }
  | { phase: 'running'; since: string }
  | { phase: 'succeeded' }
  | { phase: 'failed'; reason?: string }
  /** Gone or broken beyond the test's own result: OOM kill, eviction, deleted under us, bad spec. */
  | { phase: 'error'; reason: string; evicted?: boolean };

/** Thrown by `start` when the run cannot be created at all (a bad spec, quota): plank sets the job to `error`. */
export class RunRejectedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RunRejectedError';
  }
}

/**
 * What plank runs jobs with: Pods in a cluster, or processes on this machine. plank owns the ProwJob; the
 * runner owns the run (Pod or process tree) named after the job, and reports on it through `onChange`.
 */
export interface Runner {
  /** `pod` or `local`. */
  kind: string;
  /** Starts the run of `job` (its build id and pod name already set). Starting a run that exists is a no-op. */
  start(job: ProwJob): Promise<void>;
  /** Where the run of job `name` stands, or undefined when there is none. */
  phase(name: string): Promise<RunPhase | undefined>;
  /** Stops and removes the run of job `name`; a missing run is not an error. */
  stop(name: string): Promise<void>;
  /** Names of every run this runner has, finished or not, for sinker and for plank's resync. */
  list(): Promise<string[]>;
  /**
   * What the run is made of, for `podinfo.json` (Prow's gcsk8sreporter): the Pod and its events. Only the Pod
   * runner has one; undefined when the run is gone.
   */
  podInfo?(name: string): Promise<{ pod: unknown; events: unknown[] } | undefined>;
  /** Calls `listener` with the job name whenever a run's phase may have changed. */
  onChange(listener: (name: string) => void): void;
  close(): Promise<void>;
}
