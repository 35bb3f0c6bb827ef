import type { MergeMethod, ProwConfig, TideQuery } from '../../../lib/config/index.ts';
import type { ProwOctokit } from '../../../lib/github/prow-octokit.ts';
import type { ProwJob } from '../../../lib/jobs/index.ts';
import type { Logger } from '../../../lib/log.ts';
import { poolKey, type TidePull } from '../pull.ts';
import { applicableBlockers, findBlockers, type Blocker, type Blockers } from './blockers.ts';
import { createChangedFilesAgent, type ChangedFilesAgent } from './changed-files.ts';
import { contextPolicyConflicts, contextPolicyFor, type ContextPolicy } from './context-policy.ts';
import { mergeCheck, pullEligibility, type Exclusion, type Verdict } from './eligibility.ts';
import { expectedStatus, type StatusFacts } from './expected-status.ts';
import { mapLimited } from './map-limited.ts';
import { mergeBlocksPolicy } from './merge-blocks-policy.ts';
import type { PoolJobs } from './pool-jobs.ts';
import { createRepoMergeMethodsReader, type RepoMergeMethods, type RepoMergeMethodsReader } from './repo-merge-methods.ts';
import { requiredPresubmits, resultsOnBase } from './requirements.ts';
import { pullKey, searchPulls, searchTidePulls, type QueryFailure } from './search.ts';
import { queryScope, scopeQueryString } from './search-query.ts';
import type { TideStatus } from './status-text.ts';

/** One PR of a pool as the queue sees it after a sync. */
export interface PoolPull {
  pull: TidePull;
  verdict: Verdict;
  /** Why the PR is not `eligible`; absent when it is. */
  exclusion?: Exclusion;
  /** The `tide` status the PR should carry (the caller writes it when it differs from the head's). */
  status: TideStatus;
  /** How the PR would merge; absent when its merge-method labels conflict. */
  mergeMethod?: MergeMethod;
  /** Contexts of the presubmits Tide requires of this PR on this branch, sorted: what its trains must pass. */
  requiredContexts: string[];
}

/**
 * One pool, `org/repo:branch`, at the base SHA read once this sync. `blockers` non-empty means nothing in it
 * may merge (its PRs keep their verdicts, so the queue knows who waits). `error` means the pool could not be
 * judged this sync (its base, repo settings, jobs or a PR's changed files could not be read, or its context
 * policy contradicts itself); `pulls` is then empty and the caller should leave the pool as it was.
 */
export interface PoolView {
  key: string;
  org: string;
  repo: string;
  branch: string;
  baseSha: string;
  pulls: PoolPull[];
  blockers: Blocker[];
  error?: string;
}

/** A PR in Tide's scope that matches no query, with the status telling its author what it lacks. */
export interface OutsidePull {
  pull: TidePull;
  status: TideStatus;
}

/**
 * A search that failed: one of `tide.queries` (by index), or the search for PRs outside every query. The PRs
 * it found before failing are kept, so PRs may be missing from a snapshot with failures: the caller should
 * not take a PR's absence then as its leaving.
 */
export type SyncFailure = ({ kind: 'query' } & QueryFailure) | { kind: 'outside'; query: string; error: unknown };

/** Everything one sync learned, pools sorted by org, repo and branch, PRs by number. */
export interface TideSnapshot {
  pools: PoolView[];
  outside: OutsidePull[];
  failures: SyncFailure[];
}

/** What a sync may reuse across syncs, and where it reads ProwJobs from. */
export interface SyncOptions {
  /** ProwJobs run against a pool's base; without it only ` BaseSHA:` contexts count as runs on the base. */
  jobs?: PoolJobs | undefined;
  /** Kept across syncs so unchanged PRs' files are read once; each sync prunes it. A new one per sync by default. */
  changedFiles?: ChangedFilesAgent | undefined;
  /** Kept across syncs so repo settings are read once an hour. A new one per sync by default. */
  repoMethods?: RepoMergeMethodsReader | undefined;
  /** Whether to search for open PRs matching no query and give them Tide's "Not mergeable." status (default true). */
  outside?: boolean | undefined;
  /** The end of the `updated:` window of every search (default: now). */
  now?: Date | undefined;
  log?: Logger | undefined;
}

/** Prow's default `max_goroutines`: pools judged side by side. */
const defaultParallelPools = 20;

/** What every PR of a sync is judged with. */
interface SyncContext {
  github: ProwOctokit;
  config: ProwConfig;
  queries: readonly TideQuery[];
  blockers: Blockers;
  changedFiles: ChangedFilesAgent;
  repoMethods: RepoMergeMethodsReader;
  jobs: PoolJobs | undefined;
}

const message = (error: unknown): string => (error instanceof Error ? error.message : String(error));

const byCodePoint = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Prow's order of pools and of the PRs in them: org, repo, branch, then number. */
const byRepoBranchNumber = (a: TidePull, b: TidePull): number =>
  byCodePoint(a.org, b.org) || byCodePoint(a.repo, b.repo) || byCodePoint(a.baseRef, b.baseRef) || a.number - b.number;

/** The base SHA of `branch`, read as Prow's `GetRef(org, repo, "heads/<branch>")`. */
async function branchSha(github: ProwOctokit, org: string, repo: string, branch: string): Promise<string> {
  const { data } = await github.rest.git.getRef({ owner: org, repo, ref: `heads/${branch}` });
  return data.object.sha;
}

/** The parts of a PR's status facts that come from the config alone. */
function configFacts(ctx: SyncContext, pull: TidePull): Pick<StatusFacts, 'queries' | 'blocksPolicy' | 'displayAllQueries'> {
  return {
    queries: ctx.queries,
    blocksPolicy: mergeBlocksPolicy(ctx.config.tide, pull.org, pull.repo),
    displayAllQueries: ctx.config.tide?.display_all_tide_queries_in_status ?? false,
  };
}

/** Judges one PR of a pool whose base, settings and jobs are known. */
async function judgePull(ctx: SyncContext, pool: PoolFacts, pull: TidePull): Promise<PoolPull> {
  const required = await requiredPresubmits(ctx.config, pull, ctx.changedFiles.forPull(pull));
  const requiredContexts = [...new Set(required.map((p) => p.context))].sort(byCodePoint);
  const judged = pullEligibility(pull, { tide: ctx.config.tide, policy: pool.policy, prowContexts: new Set(requiredContexts), repoMethods: pool.repoMethods });
  const status = await expectedStatus({
    ...configFacts(ctx, pull),
    pull,
    refusal: judged.exclusion?.kind === 'unmergeable' ? judged.exclusion.reason : undefined,
    inPool: judged.verdict === 'eligible',
    blockers: pool.blockers,
    policy: pool.policy,
    waitingOnBase: () => {
      const results = resultsOnBase(required, pull, pool.baseSha, pool.jobs);
      return Promise.resolve([...results.missing, ...results.pending]);
    },
  });
  return { pull, ...judged, status, requiredContexts };
}

/** What a pool's PRs are judged against. */
interface PoolFacts {
  baseSha: string;
  policy: ContextPolicy;
  repoMethods: RepoMergeMethods;
  jobs: readonly ProwJob[];
  blockers: Blocker[];
}

/** Steps 3 and 4 of Prow's sync for one pool (its PRs, one or more): its base, each PR's requirements, verdict and status. */
async function judgePool(ctx: SyncContext, pulls: readonly TidePull[]): Promise<PoolView> {
  const [first] = pulls;
  const { org, repo, baseRef: branch } = first ?? { org: '', repo: '', baseRef: '' };
  const blockers = applicableBlockers(ctx.blockers, org, repo, branch);
  const view: PoolView = { key: poolKey({ org, repo, baseRef: branch }), org, repo, branch, baseSha: '', pulls: [], blockers };
  try {
    const policy = contextPolicyFor(ctx.config, org, repo, branch);
    const conflicts = contextPolicyConflicts(policy);
    if (conflicts.length > 0) return { ...view, error: `context_options: ${conflicts.join('; ')}` };
    const [baseSha, repoMethods] = await Promise.all([branchSha(ctx.github, org, repo, branch), ctx.repoMethods(org, repo)]);
    const jobs = (await ctx.jobs?.({ org, repo, branch, baseSha })) ?? [];
    const facts: PoolFacts = { baseSha, policy, repoMethods, jobs, blockers };
    const judged = await Promise.all(pulls.map((p) => judgePull(ctx, facts, p)));
    return { ...view, baseSha, pulls: judged };
  } catch (error) {
    return { ...view, error: message(error) };
  }
}

/**
 * The status of a PR no query found (Prow's status controller sees every open PR in scope): Tide's merge
 * refusal, its branch's blockers, or what it lacks against the closest query. When it meets a query after
 * all (the search index lagged), it is judged as in the pool against its pool's base, if this sync has one.
 */
async function judgeOutside(ctx: SyncContext, pull: TidePull, bases: ReadonlyMap<string, PoolView>): Promise<OutsidePull> {
  const repoMethods = await ctx.repoMethods(pull.org, pull.repo).catch(() => undefined);
  const check = mergeCheck(ctx.config.tide, pull, repoMethods);
  const pool = bases.get(poolKey(pull));
  const status = await expectedStatus({
    ...configFacts(ctx, pull),
    pull,
    refusal: check.allowed ? undefined : check.reason,
    inPool: false,
    blockers: applicableBlockers(ctx.blockers, pull.org, pull.repo, pull.baseRef),
    policy: contextPolicyFor(ctx.config, pull.org, pull.repo, pull.baseRef),
    waitingOnBase: async () => {
      const required = await requiredPresubmits(ctx.config, pull, ctx.changedFiles.forPull(pull));
      const baseSha = pool?.baseSha ?? '';
      const jobs = pool === undefined || ctx.jobs === undefined ? [] : await ctx.jobs({ org: pull.org, repo: pull.repo, branch: pull.baseRef, baseSha });
      const results = resultsOnBase(required, pull, baseSha, jobs);
      return [...results.missing, ...results.pending];
    },
  });
  return { pull, status };
}

/** The open PRs in everything the queries cover, whatever their labels (the status controller's search). */
export function outsideQueryString(queries: readonly TideQuery[]): string | undefined {
  const scope = scopeQueryString(queryScope(queries));
  return scope === '' ? undefined : `is:pr state:open archived:false ${scope}`;
}

/**
 * One Tide sync, reading only: every query's PRs, the blockers, each pool `org/repo:branch` at its base SHA
 * (one GetRef per pool), each PR judged as Tide's `filterPR` would with the queue's verdict and the status
 * Tide would give it; and the PRs in scope no query found, with Tide's "Not mergeable." status. Rejects when
 * the blocker search fails, as Prow's sync stops there.
 */
export async function syncTide(github: ProwOctokit, config: ProwConfig, options: SyncOptions = {}): Promise<TideSnapshot> {
  const queries = config.tide?.queries ?? [];
  const now = options.now ?? new Date();
  const searchOptions = { end: now, log: options.log };
  const outsideQuery = options.outside === false ? undefined : outsideQueryString(queries);
  const [found, everyone] = await Promise.all([
    searchTidePulls(github, queries, searchOptions),
    outsideQuery === undefined ? undefined : searchPulls(github, outsideQuery, searchOptions),
  ]);
  const failures: SyncFailure[] = found.failures.map((f) => ({ kind: 'query', ...f }));
  if (outsideQuery !== undefined && everyone?.error !== undefined) failures.push({ kind: 'outside', query: outsideQuery, error: everyone.error });
  const inPools = new Set(found.pulls.map(pullKey));
  const outsidePulls = (everyone?.pulls ?? []).filter((p) => !inPools.has(pullKey(p)));
  if (found.pulls.length === 0 && outsidePulls.length === 0) return { pools: [], outside: [], failures };

  const changedFiles = options.changedFiles ?? createChangedFilesAgent(github);
  const ctx: SyncContext = {
    github,
    config,
    queries,
    blockers: await findBlockers(github, config.tide?.blocker_label, queries),
    changedFiles,
    repoMethods: options.repoMethods ?? createRepoMergeMethodsReader(github),
    jobs: options.jobs,
  };
  const byPool = new Map<string, TidePull[]>();
  for (const p of [...found.pulls].sort(byRepoBranchNumber)) {
    const members = byPool.get(poolKey(p));
    if (members === undefined) byPool.set(poolKey(p), [p]);
    else members.push(p);
  }
  const pools = await mapLimited([...byPool.values()], config.tide?.max_goroutines ?? defaultParallelPools, (pulls) => judgePool(ctx, pulls));
  for (const pool of pools) if (pool.error !== undefined) options.log?.warn({ pool: pool.key, error: pool.error }, 'tide pool not judged this sync');
  const bases = new Map(pools.filter((p) => p.error === undefined).map((p) => [p.key, p]));
  const judged = await Promise.all(
    outsidePulls.sort(byRepoBranchNumber).map((p) =>
      judgeOutside(ctx, p, bases).catch((error: unknown) => {
        options.log?.warn({ pull: pullKey(p), error: message(error) }, 'tide status of a PR outside every query not judged this sync');
        return undefined;
      }),
    ),
  );
  changedFiles.prune();
  return { pools, outside: judged.filter((o) => o !== undefined), failures };
}
