import { parseGoDuration, type ProwConfig } from '../../../lib/config/index.ts';
import type { ProwJob } from '../../../lib/jobs/index.ts';

/** The limits plank holds a run to, in milliseconds. */
export interface RunTimeouts {
  /** No node took the run (a Pod without startTime): Prow's `pod_unscheduled_timeout`, 5m. */
  unscheduled: number;
  /** Scheduled but not running yet (pulling images, init containers): `pod_pending_timeout`, 10m. */
  pending: number;
  /** Running in all: `pod_running_timeout`, 48h; entrypoint enforces the job's own `timeout` inside the run. */
  running: number;
}

const minute = 60_000;
const defaults: RunTimeouts = { unscheduled: 5 * minute, pending: 10 * minute, running: 48 * 60 * minute };

const pick = (...texts: (string | undefined)[]): number | undefined => {
  for (const text of texts) {
    const ms = text === undefined ? undefined : parseGoDuration(text);
    if (ms !== undefined && ms > 0) return ms;
  }
  return undefined;
};

/** The timeouts of `job`: its decoration_config's, else plank's, else Prow's defaults. */
export function runTimeouts(job: ProwJob, config: Pick<ProwConfig, 'plank'>): RunTimeouts {
  const dc = job.spec.decoration_config;
  const plank = config.plank;
  return {
    unscheduled: pick(dc?.pod_unscheduled_timeout, plank?.pod_unscheduled_timeout) ?? defaults.unscheduled,
    pending: pick(dc?.pod_pending_timeout, plank?.pod_pending_timeout) ?? defaults.pending,
    running: pick(dc?.pod_running_timeout, plank?.pod_running_timeout) ?? defaults.running,
  };
}
