import type { TideQuery } from '../../../lib/config/index.ts';
import type { ProwOctokit } from '../../../lib/github/prow-octokit.ts';
import { graphqlRequest } from './graphql-request.ts';
import { blockerQueryString } from './search-query.ts';

/** An open issue that blocks merging, as Tide shows it: the title without its `branch:` tokens. */
export interface Blocker {
  number: number;
  title: string;
  url: string;
}

/** Blockers of whole repos (`org/repo`) and of single branches (`org/repo:branch`). */
export interface Blockers {
  repo: Map<string, Blocker[]>;
  branch: Map<string, Blocker[]>;
}

/** One blocker issue as the search answers it. */
export interface BlockerIssue {
  number: number;
  title: string;
  url: string;
  repository: { name: string; owner: { login: string } };
}

// `branch:release-1.2` (any case, optional punctuation after the colon) scopes a blocker to that branch.
const branchToken = /\bbranch:[^\w-]*([\w./-]+)\b/gi;

/** The blockers found in `issues`: those naming branches in their titles block only those branches. */
export function blockersFromIssues(issues: readonly BlockerIssue[]): Blockers {
  const blockers: Blockers = { repo: new Map(), branch: new Map() };
  const add = (map: Map<string, Blocker[]>, key: string, b: Blocker): void => {
    map.set(key, [...(map.get(key) ?? []), b]);
  };
  for (const issue of issues) {
    const fullName = `${issue.repository.owner.login}/${issue.repository.name}`;
    const blocker = { number: issue.number, title: issue.title.replace(branchToken, ''), url: issue.url };
    const branches = [...issue.title.matchAll(branchToken)].flatMap((m) => (m[1] === undefined ? [] : [m[1]]));
    if (branches.length === 0) add(blockers.repo, fullName, blocker);
    for (const branch of branches) add(blockers.branch, `${fullName}:${branch}`, blocker);
  }
  return blockers;
}

/** The blockers that apply to PRs into `branch` of `org/repo`, lowest number first. */
export function applicableBlockers(blockers: Blockers, org: string, repo: string, branch: string): Blocker[] {
  const fullName = `${org}/${repo}`;
  return [...(blockers.repo.get(fullName) ?? []), ...(blockers.branch.get(`${fullName}:${branch}`) ?? [])].sort((a, b) => a.number - b.number);
}

/** The blocker search, as Prow's blockers package asks it: issues only, 100 a page. */
export const blockerSearchDocument = `query($query: String!, $searchCursor: String) {
  rateLimit { cost remaining }
  search(type: ISSUE, first: 100, after: $searchCursor, query: $query) {
    pageInfo { hasNextPage endCursor }
    nodes {
      ... on Issue {
        number
        title
        url
        repository { name owner { login } }
      }
    }
  }
}`;

interface BlockerPage {
  search: { pageInfo: { hasNextPage: boolean; endCursor: string | null }; nodes: (BlockerIssue | Record<string, never> | null)[] };
}

/**
 * The open issues labelled `blockerLabel` anywhere Tide's queries look (step 2 of Prow's sync, run only when
 * some PR was found). No label configured means nothing blocks.
 */
export async function findBlockers(github: ProwOctokit, blockerLabel: string | undefined, queries: readonly TideQuery[]): Promise<Blockers> {
  if (blockerLabel === undefined || blockerLabel === '') return blockersFromIssues([]);
  const query = blockerQueryString(blockerLabel, queries);
  const issues: BlockerIssue[] = [];
  let cursor: string | null = null;
  for (;;) {
    const page: BlockerPage = await graphqlRequest<BlockerPage>(github, blockerSearchDocument, { query, searchCursor: cursor });
    issues.push(...page.search.nodes.filter((n): n is BlockerIssue => n !== null && 'number' in n));
    cursor = page.search.pageInfo.endCursor;
    if (!page.search.pageInfo.hasNextPage || cursor === null) return blockersFromIssues(issues);
  }
}
