import type { Presubmit } from '../../lib/config/index.ts';
import { needsExplicitTrigger, presubmitShouldRun, testAllRe, triggerMatches, type ChangedFiles } from '../../lib/jobs/index.ts';
import { okToTestRe, retestRe, retestRequiredRe, testManualRequiredRe } from './trigger-commands.ts';

/**
 * What a request says about one presubmit (Prow's pjutil.Filter): whether it asks for it, and if so how the
 * job's own rules are then asked, forced (branch filter only) or by its file filter with a default.
 */
export interface Selection {
  selected: boolean;
  forced: boolean;
  runByDefault: boolean;
}

/** One way of asking for presubmits. */
export type PresubmitFilter = (job: Presubmit) => Selection;

const notSelected: Selection = { selected: false, forced: false, runByDefault: false };

/** `/test all`, `/ok-to-test` and a new or updated PR: every job that runs on its own, as its file filter says. */
export const testAllFilter: PresubmitFilter = (job) => (needsExplicitTrigger(job) ? notSelected : { selected: true, forced: false, runByDefault: false });

/** The jobs whose `trigger` the comment matches (`/test <name>`, a custom regex), forced. */
export function commandFilter(body: string): PresubmitFilter {
  return (job) => (triggerMatches(job, body) ? { selected: true, forced: true, runByDefault: true } : notSelected);
}

/** The status contexts on the PR's head: all of them, and those that failed or errored. */
export interface HeadContexts {
  all: ReadonlySet<string>;
  failed: ReadonlySet<string>;
}

/**
 * `/retest` (`requiredOnly` false) and `/retest-required`: jobs whose context failed run again, and jobs that
 * would run on their own but never reported are started, as their file filters say.
 */
export function retestFilter(contexts: HeadContexts, requiredOnly: boolean): PresubmitFilter {
  return (job) => {
    if (requiredOnly && job.optional) return notSelected;
    if (contexts.failed.has(job.context)) return { selected: true, forced: true, runByDefault: true };
    if (!needsExplicitTrigger(job) && !contexts.all.has(job.context)) return { selected: true, forced: false, runByDefault: false };
    return notSelected;
  };
}

/** `/test-manual-required`: the required jobs that run only when named. */
export const manualRequiredFilter: PresubmitFilter = (job) => (!job.optional && needsExplicitTrigger(job) ? { selected: true, forced: true, runByDefault: true } : notSelected);

/** The first filter that selects a job decides how it is asked (Prow's AggregateFilter). */
export function anyOf(filters: readonly PresubmitFilter[]): PresubmitFilter {
  return (job) => filters.map((f) => f(job)).find((s) => s.selected) ?? notSelected;
}

/**
 * The filter a comment's commands make (Prow's PresubmitFilter): named jobs, then `/retest`, `/retest-required`,
 * `/test all` (and `/ok-to-test` where it is honoured) and `/test-manual-required`. The head's contexts are read
 * only when a retest asks for them.
 */
export async function commentFilter(body: string, honorOkToTest: boolean, headContexts: () => Promise<HeadContexts>): Promise<PresubmitFilter> {
  const filters = [commandFilter(body)];
  if (retestRe.test(body)) filters.push(retestFilter(await headContexts(), false));
  if (retestRequiredRe.test(body)) filters.push(retestFilter(await headContexts(), true));
  if (testAllRe.test(body) || (honorOkToTest && okToTestRe.test(body))) filters.push(testAllFilter);
  if (testManualRequiredRe.test(body)) filters.push(manualRequiredFilter);
  return anyOf(filters);
}

/** The presubmits a filter selects that should run on a PR to `baseRef` (Prow's FilterPresubmits). */
export async function filterPresubmits(filter: PresubmitFilter, jobs: readonly Presubmit[], baseRef: string, changes: ChangedFiles): Promise<Presubmit[]> {
  const chosen: Presubmit[] = [];
  for (const job of jobs) {
    const { selected, forced, runByDefault } = filter(job);
    if (selected && (await presubmitShouldRun(job, baseRef, changes, { forced, runByDefault }))) chosen.push(job);
  }
  return chosen;
}
