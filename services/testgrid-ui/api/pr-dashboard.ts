import type { FastifyPluginCallback } from 'fastify';
import type { ProwConfig, TideQuery } from '../../../lib/config/index.ts';
import type { ProwOctokit } from '../../../lib/github/prow-octokit.ts';
import type { Logger } from '../../../lib/log.ts';
import type { TidePull } from '../../tide/pull.ts';
import { createChangedFilesAgent } from '../../tide/sync/changed-files.ts';
import { contextPolicyFor, unsuccessfulContexts } from '../../tide/sync/context-policy.ts';
import { mergeCheck } from '../../tide/sync/eligibility.ts';
import { mergeBlocksPolicy } from '../../tide/sync/merge-blocks-policy.ts';
import { closestQueryDiff, queriesForRepo, requirementDiff } from '../../tide/sync/requirement-diff.ts';
import { requiredPresubmits } from '../../tide/sync/requirements.ts';
import { searchPulls } from '../../tide/sync/search.ts';
import { queryScope, scopeQueryString } from '../../tide/sync/search-query.ts';
import { inPoolStatus, notInPoolStatus, unmergeableStatus } from '../../tide/sync/status-text.ts';
import { param, prHistoryPath } from './jobs.ts';
import type { TideSource } from './merge-queue.ts';
import { HttpProblem, messageOf } from './problem.ts';

/** What a PR still needs before Tide merges it. */
export type NeedKind =
  | 'lgtm'
  | 'approve'
  | 'label'
  | 'remove-label'
  | 'hold'
  | 'conflict'
  | 'needs-ok-to-test'
  | 'failing-tests'
  | 'missing-tests'
  | 'pending-tests'
  | 'review'
  | 'unmergeable'
  | 'no-query';

export interface Need {
  kind: NeedKind;
  text: string;
  /** The contexts a test need is about. */
  contexts?: string[];
}

/** One PR on the dashboard. */
export interface PrNeeds {
  org: string;
  repo: string;
  number: number;
  title: string;
  author: string;
  baseRef: string;
  labels: string[];
  /** The PR on GitHub. */
  url: string;
  /** This dashboard's page of the PR's jobs. */
  jobsPath: string;
  /** Tide's status text for it, as Tide would write it. */
  tide: string;
  needs: Need[];
  /** Its place in the merge queue, when it is queued. */
  queue: { pool: string; position: number } | undefined;
}

/** A person's open PRs: the ones they wrote and the ones waiting for their review. */
export interface PrDashboard {
  login: string;
  authored: PrNeeds[];
  reviewing: PrNeeds[];
}

/** Answers the dashboard of one login. */
export type PrDashboardSource = (login: string) => Promise<PrDashboard>;

const hold = 'do-not-merge/hold';
const needsRebase = 'needs-rebase';
const needsOkToTest = 'needs-ok-to-test';

/** The query of the PR's repo it is closest to meeting, by Tide's own weights (the first on a tie). */
function closestQuery(pull: TidePull, queries: readonly TideQuery[], config: ProwConfig): TideQuery | undefined {
  const policy = contextPolicyFor(config, pull.org, pull.repo, pull.baseRef);
  const blocks = mergeBlocksPolicy(config.tide, pull.org, pull.repo);
  let best: { query: TideQuery; weight: number } | undefined;
  for (const query of queriesForRepo(queries, pull.org, pull.repo)) {
    const { weight } = requirementDiff(pull, query, policy, blocks);
    if (best === undefined || weight < best.weight) best = { query, weight };
  }
  return best?.query;
}

function labelNeed(label: string): Need {
  if (label === 'lgtm') return { kind: 'lgtm', text: 'needs /lgtm from a reviewer' };
  if (label === 'approved') return { kind: 'approve', text: 'needs /approve from an approver in OWNERS' };
  return { kind: 'label', text: `needs the ${label} label` };
}

function forbiddenNeed(label: string): Need {
  if (label === hold) return { kind: 'hold', text: 'is on hold: /hold cancel when it may merge' };
  if (label === needsRebase) return { kind: 'conflict', text: 'needs a rebase (needs-rebase)' };
  if (label === needsOkToTest) return { kind: 'needs-ok-to-test', text: 'needs /ok-to-test from an org member before tests run' };
  return { kind: 'remove-label', text: `must lose the ${label} label` };
}

/**
 * What one PR still needs, judged with Tide's own pieces: its merge check, the query it is closest to
 * (Tide's weights), that query's labels, its branch's context policy and the presubmits Tide requires of it.
 */
export function needsOf(pull: TidePull, config: ProwConfig, requiredContexts: readonly string[]): { needs: Need[]; tide: string } {
  const queries = config.tide?.queries ?? [];
  const needs: Need[] = [];
  const add = (need: Need): void => {
    if (!needs.some((n) => n.kind === need.kind && n.text === need.text)) needs.push(need);
  };
  const check = mergeCheck(config.tide, pull);
  if (pull.mergeable === 'CONFLICTING') add({ kind: 'conflict', text: 'has a merge conflict: rebase it on its base' });
  else if (!check.allowed) add({ kind: 'unmergeable', text: check.reason });
  const query = closestQuery(pull, queries, config);
  if (query === undefined) add({ kind: 'no-query', text: `no Tide query covers ${pull.org}/${pull.repo}, so Tide will not merge it` });
  for (const entry of query?.labels ?? []) if (!entry.split(',').some((l) => pull.labels.includes(l))) add(labelNeed(entry.replaceAll(',', ' or ')));
  for (const label of query?.missingLabels ?? []) if (pull.labels.includes(label)) add(forbiddenNeed(label));
  if (pull.labels.includes(needsOkToTest)) add(forbiddenNeed(needsOkToTest));
  if (query?.reviewApprovedRequired === true && pull.reviewDecision !== 'APPROVED') add({ kind: 'review', text: 'needs an approving GitHub review' });
  const policy = contextPolicyFor(config, pull.org, pull.repo, pull.baseRef);
  const unsuccessful = unsuccessfulContexts(policy, pull.contexts);
  const present = new Set(pull.contexts.map((c) => c.context));
  const missing = [...new Set([...unsuccessful.filter((c) => c.state === 'missing').map((c) => c.context), ...requiredContexts.filter((c) => !present.has(c))])].sort();
  const failing = unsuccessful.filter((c) => c.state === 'failure').map((c) => c.context);
  const pending = unsuccessful.filter((c) => c.state === 'pending').map((c) => c.context);
  if (failing.length > 0) add({ kind: 'failing-tests', text: `failing: ${failing.join(', ')} (/retest or fix)`, contexts: failing });
  if (missing.length > 0) add({ kind: 'missing-tests', text: `not run yet: ${missing.join(', ')}`, contexts: missing });
  if (pending.length > 0) add({ kind: 'pending-tests', text: `running: ${pending.join(', ')}`, contexts: pending });
  const blocks = mergeBlocksPolicy(config.tide, pull.org, pull.repo);
  let tide: string;
  if (!check.allowed) tide = unmergeableStatus(check.reason).description;
  else {
    const diff = closestQueryDiff(pull, queries, policy, blocks, config.tide?.display_all_tide_queries_in_status ?? false);
    tide = diff.met ? inPoolStatus(pull, blocks).description : notInPoolStatus(diff.description).description;
  }
  return { needs, tide };
}

/** A GitHub login, so a search qualifier cannot be slipped in. */
const loginPattern = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})(?:\[bot\])?$/;

export interface PrDashboardOptions {
  github: ProwOctokit;
  config: () => ProwConfig;
  /** GitHub's web root for PR links (`https://github.com`, or the emulator's URL). */
  webBaseUrl: string;
  /** Tide, for each PR's place in the queue; a Tide that does not answer only hides the places. */
  tide?: TideSource | undefined;
  log: Logger;
}

/** The PR dashboard over GitHub: Tide's search (in the repos Tide's queries cover) for the login's PRs and review requests. */
export function prDashboardFrom(o: PrDashboardOptions): PrDashboardSource {
  return async (login) => {
    if (!loginPattern.test(login)) throw new HttpProblem(400, `"${login}" is not a GitHub login; ask for /pr?login=<login>`);
    const config = o.config();
    const scope = scopeQueryString(queryScope(config.tide?.queries ?? []));
    const search = async (qualifier: string): Promise<TidePull[]> => {
      const found = await searchPulls(o.github, `is:pr state:open archived:false ${qualifier}:${login} ${scope}`.trim(), { log: o.log });
      if (found.error !== undefined) throw new HttpProblem(502, `GitHub's search for ${qualifier}:${login} failed (${messageOf(found.error)}); try again, or check the GitHub token`);
      return found.pulls;
    };
    const queued = new Map<string, { pool: string; position: number }>();
    if (o.tide !== undefined) {
      try {
        for (const pool of await o.tide.pools()) {
          const key = `${pool.Org}/${pool.Repo}:${pool.Branch}`;
          for (const entry of pool.Queue) queued.set(`${pool.Org}/${pool.Repo}#${String(entry.Number)}`, { pool: key, position: entry.Position });
        }
      } catch (err) {
        o.log.warn({ err: messageOf(err) }, 'pr dashboard: Tide did not answer; queue places left out');
      }
    }
    const changedFiles = createChangedFilesAgent(o.github);
    const judge = async (pull: TidePull): Promise<PrNeeds> => {
      const required = await requiredPresubmits(config, pull, changedFiles.forPull(pull));
      const { needs, tide } = needsOf(pull, config, [...new Set(required.map((p) => p.context))]);
      return {
        org: pull.org,
        repo: pull.repo,
        number: pull.number,
        title: pull.title,
        author: pull.author,
        baseRef: pull.baseRef,
        labels: pull.labels,
        url: `${o.webBaseUrl.replace(/\/+$/, '')}/${pull.org}/${pull.repo}/pull/${String(pull.number)}`,
        jobsPath: prHistoryPath(pull.org, pull.repo, pull.number),
        tide,
        needs,
        queue: queued.get(`${pull.org}/${pull.repo}#${String(pull.number)}`),
      };
    };
    const [authored, reviewing] = await Promise.all([search('author'), search('review-requested')]);
    const byNumber = (a: PrNeeds, b: PrNeeds): number => `${a.org}/${a.repo}`.localeCompare(`${b.org}/${b.repo}`) || a.number - b.number;
    return {
      login,
      authored: (await Promise.all(authored.map(judge))).sort(byNumber),
      reviewing: (await Promise.all(reviewing.map(judge))).sort(byNumber),
    };
  };
}

/** `GET /api/pr?login=<login>`. */
export function prDashboardApi(source: PrDashboardSource): FastifyPluginCallback {
  return (app, _opts, done) => {
    app.get('/api/pr', async (req) => source(param(req.query, 'login') ?? ''));
    done();
  };
}
