import { compileGoRegexp, presubmitsFor, shouldRunOnBranch, type Presubmit, type ProwConfig } from '../../../lib/config/index.ts';
import type { TideContext } from '../pull.ts';

/** Tide's own status context, which never counts against a PR. */
export const tideContext = 'tide';

/** Which head contexts a PR must pass to merge (Prow's `TideContextPolicy`, once built for one branch). */
export interface ContextPolicy {
  /** Must be present and successful. */
  required: ReadonlySet<string>;
  /** Must be successful when present (jobs that run only on some changes). */
  requiredIfPresent: ReadonlySet<string>;
  optional: ReadonlySet<string>;
  optionalRegexps: readonly RegExp[];
  /** Contexts none of the sets names are optional (else they are required when present). */
  skipUnknown: boolean;
}

type Options = NonNullable<NonNullable<ProwConfig['tide']>['context_options']>;
type Level = Omit<Options, 'orgs'>;

/**
 * The `context_options` that apply to one branch (Prow's `parseTideContextPolicyOptions`): global, then the org,
 * repo and branch entries; context lists add up, a flag set at a deeper level wins. `overwrite-pending-contexts`
 * is left out: it decides how a batch merges, not which contexts a PR needs.
 */
export function contextOptionsFor(tide: ProwConfig['tide'], org: string, repo: string, branch: string): Level {
  const options = tide?.context_options;
  const orgLevel = options?.orgs?.[org];
  const repoLevel = orgLevel?.repos?.[repo];
  const levels: (Level | undefined)[] = [options, orgLevel, repoLevel, repoLevel?.branches?.[branch]];
  const merged: Level = {};
  const union = (a: readonly string[] | undefined, b: readonly string[] | undefined): string[] | undefined =>
    a === undefined && b === undefined ? undefined : [...new Set([...(a ?? []), ...(b ?? [])])];
  for (const level of levels) {
    if (level === undefined) continue;
    if (level['skip-unknown-contexts'] !== undefined) merged['skip-unknown-contexts'] = level['skip-unknown-contexts'];
    if (level['from-branch-protection'] !== undefined) merged['from-branch-protection'] = level['from-branch-protection'];
    for (const key of ['required-contexts', 'required-if-present-contexts', 'optional-contexts', 'optional-regex-contexts'] as const) {
      const list = union(merged[key], level[key]);
      if (list !== undefined) merged[key] = list;
    }
  }
  return merged;
}

/**
 * How the presubmits that can run on `branch` map to contexts (Prow's `BranchRequirements`): a reported,
 * non-optional job that always runs is required; one that runs only on some changes or on request is
 * required when present; optional or unreported jobs are optional.
 */
export function branchRequirements(branch: string, presubmits: readonly Presubmit[]): { required: string[]; requiredIfPresent: string[]; optional: string[] } {
  const out = { required: [] as string[], requiredIfPresent: [] as string[], optional: [] as string[] };
  for (const job of presubmits) {
    if (!shouldRunOnBranch(job, branch)) continue;
    if (job.optional || job.skip_report) out.optional.push(job.context);
    else if (job.always_run) out.required.push(job.context);
    else out.requiredIfPresent.push(job.context);
  }
  return out;
}

/**
 * The context policy of PRs into `branch` of `org/repo` (Prow's `GetTideContextPolicy`): `context_options`
 * merged down to the branch, plus what the repo's presubmits require. `from-branch-protection` is not applied:
 * prow-ts keeps `branch-protection` as written and does not act on it yet.
 */
export function contextPolicyFor(config: ProwConfig, org: string, repo: string, branch: string): ContextPolicy {
  const options = contextOptionsFor(config.tide, org, repo, branch);
  const jobs = branchRequirements(branch, presubmitsFor(config, `${org}/${repo}`));
  return {
    required: new Set([...(options['required-contexts'] ?? []), ...jobs.required]),
    requiredIfPresent: new Set([...(options['required-if-present-contexts'] ?? []), ...jobs.requiredIfPresent]),
    optional: new Set([...(options['optional-contexts'] ?? []), ...jobs.optional]),
    optionalRegexps: (options['optional-regex-contexts'] ?? []).map((r) => compileGoRegexp(r)),
    skipUnknown: options['skip-unknown-contexts'] ?? false,
  };
}

/** Contexts a policy names in two incompatible ways (Prow's `TideContextPolicy.Validate`); Tide cannot judge such a PR. */
export function contextPolicyConflicts(policy: ContextPolicy): string[] {
  const both = (a: ReadonlySet<string>, b: ReadonlySet<string>): string[] => [...a].filter((c) => b.has(c)).sort();
  const problems: string[] = [];
  const report = (names: string[], how: string): void => {
    if (names.length > 0) problems.push(`contexts ${names.join(', ')} are defined as ${how}`);
  };
  report(both(policy.required, policy.optional), 'required and optional');
  report(both(policy.required, policy.requiredIfPresent), 'required and required if present');
  report(both(policy.optional, policy.requiredIfPresent), 'optional and required if present');
  report([...policy.required].filter((c) => policy.optionalRegexps.some((re) => re.test(c))).sort(), 'required and matched by an optional regexp');
  return problems;
}

/** Whether a context may fail or be missing without keeping the PR out (Prow's `IsOptional`). */
export function isOptionalContext(policy: ContextPolicy, context: string): boolean {
  if (policy.optional.has(context) || policy.optionalRegexps.some((re) => re.test(context))) return true;
  if (policy.required.has(context) || policy.requiredIfPresent.has(context)) return false;
  return policy.skipUnknown;
}

/** Required contexts that are not among `present` (Prow's `MissingRequiredContexts`), sorted. */
export function missingRequiredContexts(policy: ContextPolicy, present: Iterable<string>): string[] {
  const have = new Set(present);
  return [...policy.required].filter((c) => !have.has(c)).sort();
}

/** A head context that keeps a PR out: not successful, or required and missing (state `missing`). */
export interface UnsuccessfulContext {
  context: string;
  state: 'pending' | 'failure' | 'missing';
}

/**
 * The head contexts that are not successful and not optional, then the required ones that are missing
 * (Prow's `unsuccessfulContexts`). Tide's own `tide` context never counts.
 */
export function unsuccessfulContexts(policy: ContextPolicy, contexts: readonly TideContext[]): UnsuccessfulContext[] {
  const failed: UnsuccessfulContext[] = [];
  for (const c of contexts) {
    if (c.context === tideContext || isOptionalContext(policy, c.context) || c.state === 'success') continue;
    failed.push({ context: c.context, state: c.state });
  }
  for (const c of missingRequiredContexts(policy, contexts.map((x) => x.context))) failed.push({ context: c, state: 'missing' });
  return failed;
}
