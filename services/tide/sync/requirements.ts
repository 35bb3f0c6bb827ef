import { presubmitsFor, type Presubmit, type ProwConfig } from '../../../lib/config/index.ts';
import { presubmitShouldRun, type ChangedFiles, type ProwJob, type ProwJobState } from '../../../lib/jobs/index.ts';
import type { TideContext, TidePull } from '../pull.ts';

/**
 * The presubmits a PR must pass against the current base before it merges (Prow's `presubmitsByPull`): those
 * with a required context, or with `run_before_merge`, that run on the PR's branch and would run on the PR
 * (`always_run`, or a file filter matching the changed files; a job that runs only when asked for is never
 * required). `run_before_merge` forces its job, as if commanded: Tide runs it whatever the files. The changed
 * files are read only when a file filter asks.
 */
export async function requiredPresubmits(config: ProwConfig, pull: Pick<TidePull, 'org' | 'repo' | 'baseRef'>, changes: ChangedFiles): Promise<Presubmit[]> {
  const required: Presubmit[] = [];
  for (const job of presubmitsFor(config, `${pull.org}/${pull.repo}`)) {
    const contextRequired = !job.optional && !job.skip_report;
    if (!contextRequired && job.run_before_merge !== true) continue;
    if (await presubmitShouldRun(job, pull.baseRef, changes, { forced: job.run_before_merge === true })) required.push(job);
  }
  return required;
}

/** A job or context in Tide's simple states. */
export type SimpleState = 'success' | 'pending' | 'failure';

/** A ProwJob's state as Tide counts it: triggered and pending wait, success passes, everything else fails. */
export function simpleState(state: ProwJobState): SimpleState {
  if (state === 'scheduling' || state === 'triggered' || state === 'pending') return 'pending';
  return state === 'success' ? 'success' : 'failure';
}

const rank: Record<SimpleState, number> = { failure: 0, pending: 1, success: 2 };

const baseShaDelimiter = ' BaseSHA:';
const skipRetest = '[prow:skip-retest]';

/**
 * The base SHA a status description carries (Prow's `BaseSHAFromContextDescription`): crier writes the human
 * text, pads it with U+2001 so the SHA sits past what GitHub shows, then ` BaseSHA:<sha>`. Undefined when the
 * delimiter is absent or appears twice.
 */
export function baseShaFromDescription(description: string): string | undefined {
  const parts = description.split(baseShaDelimiter);
  const sha = parts.length === 2 ? parts[1]?.trim() : undefined;
  return sha === '' ? undefined : sha;
}

/**
 * Whether a successful head context stands for a pass against `baseSha` though its ProwJob may be gone: its
 * description names this base (see `baseShaFromDescription`), or it is one of the override plugin's sticky
 * contexts (`[prow:skip-retest]`), which hold for the head whatever the base.
 */
export function contextPassedOnBase(context: TideContext, baseSha: string): boolean {
  if (context.state !== 'success') return false;
  return context.description.includes(skipRetest) || (baseSha !== '' && baseShaFromDescription(context.description) === baseSha);
}

/** Whether a ProwJob is a serial presubmit run of `pull`'s head against `baseSha`. */
export function testsPullOnBase(job: ProwJob, pull: Pick<TidePull, 'org' | 'repo' | 'number' | 'headSha'>, baseSha: string): boolean {
  const refs = job.spec.refs;
  const first = refs?.pulls?.[0];
  return (
    job.spec.type === 'presubmit' &&
    refs?.org === pull.org &&
    refs.repo === pull.repo &&
    refs.base_sha === baseSha &&
    first?.number === pull.number &&
    first.sha === pull.headSha
  );
}

/** Where a PR's required presubmits stand against the current base. */
export interface BaseResults {
  /** `success`: every one passed; `pending`: none failed or missing, some still run; `missing`: some failed or never ran. */
  state: 'success' | 'pending' | 'missing';
  /** Contexts of the required presubmits with no run, or only failed runs, against this base: the ones to run again. */
  missing: string[];
  pending: string[];
}

/**
 * Prow's serial classification (`accumulate`) of one PR: for each required presubmit the best state among its
 * ProwJobs for (base, head), where a head context that passed on this base (see `contextPassedOnBase`)
 * counts as a successful run, so results outlive the jobs sinker deletes.
 */
export function resultsOnBase(
  required: readonly Presubmit[],
  pull: Pick<TidePull, 'org' | 'repo' | 'number' | 'headSha' | 'contexts'>,
  baseSha: string,
  jobs: readonly ProwJob[],
): BaseResults {
  const best = new Map<string, SimpleState>();
  const offer = (context: string, state: SimpleState): void => {
    const seen = best.get(context);
    if (seen === undefined || rank[state] > rank[seen]) best.set(context, state);
  };
  for (const job of jobs) if (testsPullOnBase(job, pull, baseSha)) offer(job.spec.context ?? job.spec.job, simpleState(job.status.state));
  for (const c of pull.contexts) if (contextPassedOnBase(c, baseSha)) offer(c.context, 'success');
  const missing: string[] = [];
  const pending: string[] = [];
  for (const job of required) {
    const state = best.get(job.context);
    if (state === undefined || state === 'failure') missing.push(job.context);
    else if (state === 'pending') pending.push(job.context);
  }
  const state = missing.length > 0 ? 'missing' : pending.length > 0 ? 'pending' : 'success';
  return { state, missing, pending };
}
