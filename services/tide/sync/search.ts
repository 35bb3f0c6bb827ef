import type { TideQuery } from '../../../lib/config/index.ts';
import type { ProwOctokit } from '../../../lib/github/prow-octokit.ts';
import type { Logger } from '../../../lib/log.ts';
import type { TideContext, TidePull } from '../pull.ts';
import { foldContexts, type CheckRunLike, type StatusLike } from './fold-contexts.ts';
import { graphqlRequest } from './graphql-request.ts';
import { datedQuery, tideQueryString } from './search-query.ts';

/**
 * Tide's PR search, field for field as Prow's `searchQuery` struct asks for it. `first: 37` keeps the
 * worst case under GitHub's 50,000-node limit (37 PRs x 4 commits x 100 check runs, and 100 labels).
 */
export const tideSearchDocument = `query($query: String!, $searchCursor: String) {
  rateLimit { cost remaining }
  search(type: ISSUE, first: 37, after: $searchCursor, query: $query) {
    pageInfo { hasNextPage endCursor }
    nodes {
      ... on PullRequest {
        number
        author { login }
        authorMetadata: author { __typename }
        baseRef { name prefix }
        headRefName
        headRefOid
        mergeable
        mergeStateStatus
        canBeRebased
        reviewDecision
        repository { name nameWithOwner owner { login } }
        commits(last: 4) {
          nodes {
            commit {
              oid
              status { contexts { context description state } }
              statusCheckRollup { contexts(last: 100) { nodes { ... on CheckRun { name conclusion status } } } }
            }
          }
        }
        labels(first: 100) { nodes { name } }
        milestone { title }
        body
        title
        updatedAt
      }
    }
  }
}`;

/** One commit of `commits(last: 4)`, as the search answers it. */
export interface SearchCommit {
  oid: string;
  status: { contexts: StatusLike[] } | null;
  statusCheckRollup: { contexts: { nodes: (Partial<CheckRunLike> | null)[] } } | null;
}

/** One PR node of the search answer. */
export interface SearchPullNode {
  number: number;
  author: { login: string } | null;
  authorMetadata: { __typename: string } | null;
  baseRef: { name: string; prefix: string } | null;
  headRefName: string;
  headRefOid: string;
  mergeable: TidePull['mergeable'];
  mergeStateStatus: string;
  canBeRebased: boolean;
  reviewDecision: TidePull['reviewDecision'];
  repository: { name: string; nameWithOwner: string; owner: { login: string } };
  commits: { nodes: ({ commit: SearchCommit } | null)[] };
  labels: { nodes: ({ name: string } | null)[] };
  milestone: { title: string } | null;
  body: string;
  title: string;
  updatedAt: string;
}

interface SearchPage {
  rateLimit: { cost: number; remaining: number } | null;
  search: {
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    // A node that is no PullRequest (search type ISSUE finds issues too) comes back as `{}`.
    nodes: (SearchPullNode | Record<string, never> | null)[];
  };
}

/** How long one search (all its pages) may take, as Prow's 5-minute context. */
const searchTimeoutMs = 5 * 60_000;

/** The head commit's contexts read over REST: combined status and check runs (Prow's fallback, 2 tokens). */
async function restHeadContexts(github: ProwOctokit, owner: string, repo: string, sha: string): Promise<TideContext[]> {
  const [{ data: combined }, runs] = await Promise.all([
    github.rest.repos.getCombinedStatusForRef({ owner, repo, ref: sha, per_page: 100 }),
    github.paginate(github.rest.checks.listForRef, { owner, repo, ref: sha, per_page: 100 }),
  ]);
  return foldContexts(
    combined.statuses.map((s) => ({ context: s.context, state: s.state, description: s.description })),
    runs.map((r) => ({ name: r.name, status: r.status, conclusion: r.conclusion })),
  );
}

/**
 * The PR as Tide's sync sees it. Contexts come from the commit among `commits(last: 4)` whose oid is the head;
 * GitHub orders that list by author date, so the head can be missing from it, and then they are read over REST.
 */
export async function tidePullFrom(github: ProwOctokit, node: SearchPullNode): Promise<TidePull> {
  const org = node.repository.owner.login;
  const repo = node.repository.name;
  const head = node.commits.nodes.find((n) => n?.commit.oid === node.headRefOid)?.commit;
  const contexts =
    head === undefined
      ? await restHeadContexts(github, org, repo, node.headRefOid)
      : foldContexts(
          head.status?.contexts ?? [],
          (head.statusCheckRollup?.contexts.nodes ?? []).filter((c): c is CheckRunLike => typeof c?.name === 'string'),
        );
  return {
    org,
    repo,
    number: node.number,
    author: node.author?.login ?? '',
    title: node.title,
    body: node.body,
    baseRef: node.baseRef?.name ?? '',
    headRefName: node.headRefName,
    headSha: node.headRefOid,
    mergeable: node.mergeable,
    mergeStateStatus: node.mergeStateStatus,
    canBeRebased: node.canBeRebased,
    reviewDecision: node.reviewDecision ?? null,
    labels: node.labels.nodes.flatMap((l) => (l ? [l.name] : [])),
    milestone: node.milestone?.title,
    updatedAt: node.updatedAt,
    contexts,
  };
}

/** What one search found, and why it stopped early if it did (the PRs of the pages read are kept, as Prow keeps them). */
export interface SearchResult {
  pulls: TidePull[];
  error: unknown;
}

/** When to search: PRs updated from `start` (GitHub's founding by default) to `end` (now by default). */
export interface SearchOptions {
  start?: Date | undefined;
  end?: Date | undefined;
  log?: Logger | undefined;
}

function isPullNode(node: SearchPage['search']['nodes'][number]): node is SearchPullNode {
  return node !== null && 'number' in node;
}

/**
 * Runs one Tide search through GraphQL, every page (37 PRs each, following `endCursor`), for PRs updated in the
 * window: `<query> updated:<start>..<end>`.
 */
export async function searchPulls(github: ProwOctokit, query: string, options: SearchOptions = {}): Promise<SearchResult> {
  const q = datedQuery(query, options.start, options.end ?? new Date());
  const signal = AbortSignal.timeout(searchTimeoutMs);
  const pulls: TidePull[] = [];
  let cursor: string | null = null;
  let cost = 0;
  let remaining: number | undefined;
  try {
    for (;;) {
      const page: SearchPage = await graphqlRequest<SearchPage>(github, tideSearchDocument, { query: q, searchCursor: cursor }, signal);
      cost += page.rateLimit?.cost ?? 0;
      remaining = page.rateLimit?.remaining;
      pulls.push(...(await Promise.all(page.search.nodes.filter(isPullNode).map((n) => tidePullFrom(github, n)))));
      cursor = page.search.pageInfo.endCursor;
      if (!page.search.pageInfo.hasNextPage || cursor === null) break;
    }
  } catch (error) {
    options.log?.warn({ err: error, query: q, found: pulls.length }, 'tide search stopped early');
    return { pulls, error };
  }
  options.log?.debug({ query: q, found: pulls.length, cost, remaining }, 'tide search done');
  return { pulls, error: undefined };
}

/** A query that failed, by its index in `tide.queries`. */
export interface QueryFailure {
  queryIndex: number;
  query: string;
  error: unknown;
}

/** Every PR any of Tide's queries found, once each (`org/repo#number`), and the queries that failed. */
export interface TideSearchResult {
  pulls: TidePull[];
  failures: QueryFailure[];
}

/** `org/repo#number`, the key Prow merges query results by. */
export function pullKey(pull: Pick<TidePull, 'org' | 'repo' | 'number'>): string {
  return `${pull.org}/${pull.repo}#${pull.number}`;
}

/**
 * Runs every `tide.queries[]` entry side by side and merges what they find (step 1 of Prow's sync). A query
 * that fails is reported and the PRs it found before failing are kept.
 */
export async function searchTidePulls(github: ProwOctokit, queries: readonly TideQuery[], options: SearchOptions = {}): Promise<TideSearchResult> {
  const end = options.end ?? new Date();
  const results = await Promise.all(queries.map((q) => searchPulls(github, tideQueryString(q), { ...options, end })));
  const byKey = new Map<string, TidePull>();
  const failures: QueryFailure[] = [];
  results.forEach((r, queryIndex) => {
    for (const p of r.pulls) byKey.set(pullKey(p), p);
    const query = queries[queryIndex];
    if (r.error !== undefined && query !== undefined) failures.push({ queryIndex, query: tideQueryString(query), error: r.error });
  });
  return { pulls: [...byKey.values()], failures };
}
