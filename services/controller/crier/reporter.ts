import type { ProwJob } from '../../../lib/jobs/index.ts';

/**
 * One place crier reports job states to. crier calls `report` once for each state a job reaches (it keeps
 * what it reported in `status.prev_report_states[name]`, as Prow does), so a reporter need not dedupe; a
 * thrown error is retried with backoff.
 */
export interface Reporter {
  /** Prow's reporter name, the key in `prev_report_states`: `github-reporter`, `gcsreporter`. */
  name: string;
  /** Whether this reporter reports `job` at all (its type, `spec.report`, configuration). */
  shouldReport(job: ProwJob): boolean;
  report(job: ProwJob): Promise<void>;
}
