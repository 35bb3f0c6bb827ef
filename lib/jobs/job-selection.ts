import { compileGoRegexp, shouldRunOnBranch, type Postsubmit, type Presubmit } from '../config/index.ts';

/** The files a change touches, asked for only when a job's file filter needs them. */
export type ChangedFiles = () => Promise<readonly string[]>;

/** What a job's `run_if_changed` / `skip_if_only_changed` says about a change, or undefined when it has neither. */
async function fileFilterVerdict(job: Presubmit | Postsubmit, changes: ChangedFiles): Promise<boolean | undefined> {
  if (job.run_if_changed !== undefined) {
    const re = compileGoRegexp(job.run_if_changed);
    return (await changes()).some((f) => re.test(f));
  }
  if (job.skip_if_only_changed !== undefined) {
    const re = compileGoRegexp(job.skip_if_only_changed);
    return (await changes()).some((f) => !re.test(f));
  }
  return undefined;
}

/** How a presubmit was asked for: by a command naming it (`forced`), and whether jobs that need one run anyway. */
export interface PresubmitRequest {
  forced?: boolean | undefined;
  /** What a job with neither `always_run` nor a file filter does when not forced; false for a new PR and `/test all`. */
  runByDefault?: boolean | undefined;
}

/**
 * Whether a presubmit runs on a PR to `baseRef` (Prow's Presubmit.ShouldRun): never on a branch its filter
 * excludes; always when `always_run` or forced; else as its file filter says; else `runByDefault`.
 */
export async function presubmitShouldRun(job: Presubmit, baseRef: string, changes: ChangedFiles, request: PresubmitRequest = {}): Promise<boolean> {
  if (!shouldRunOnBranch(job, baseRef)) return false;
  if (job.always_run || request.forced === true) return true;
  return (await fileFilterVerdict(job, changes)) ?? request.runByDefault ?? false;
}

/**
 * Whether a postsubmit runs on a push to `baseRef` (Prow's Postsubmit.ShouldRun): its file filter decides when
 * it has one; otherwise it runs unless `always_run: false` was written.
 */
export async function postsubmitShouldRun(job: Postsubmit, baseRef: string, changes: ChangedFiles): Promise<boolean> {
  if (!shouldRunOnBranch(job, baseRef)) return false;
  return (await fileFilterVerdict(job, changes)) ?? job.always_run !== false;
}

/** True when a presubmit runs only when a command names it: no `always_run` and no file filter. */
export function needsExplicitTrigger(job: Presubmit): boolean {
  return !job.always_run && job.run_if_changed === undefined && job.skip_if_only_changed === undefined;
}

/** True when `body` (a comment) names this presubmit with its `trigger` (by default `/test <name>`). */
export function triggerMatches(job: Presubmit, body: string): boolean {
  return compileGoRegexp(job.trigger).test(body);
}

/** Prow's `/test all`, which runs every job that would run on its own, and forces none. */
export const testAllRe = /^\/test all,?($|\s.*)/m;

/**
 * The presubmits a comment asks for on a PR to `baseRef`, Prow's way: those whose trigger it matches run
 * forced; `/test all` adds those that would run on the change; nothing else.
 */
export async function presubmitsForComment(jobs: readonly Presubmit[], body: string, baseRef: string, changes: ChangedFiles): Promise<Presubmit[]> {
  const all = testAllRe.test(body);
  const chosen: Presubmit[] = [];
  for (const job of jobs) {
    const named = triggerMatches(job, body);
    if (!named && !all) continue;
    if (await presubmitShouldRun(job, baseRef, changes, { forced: named })) chosen.push(job);
  }
  return chosen;
}
