import type { ProwOctokit } from '../../lib/github/prow-octokit.ts';
import { lifecycleLabel } from './lifecycle-labels.ts';
import type { StaleStep } from './stale-comments.ts';

/** An open issue or PR that search found due for a step of stale aging. */
export interface AgingItem {
  number: number;
  isPR: boolean;
  title: string;
  url: string;
  updatedAt: string;
}

/** What each step looks for, besides being open, unfrozen, and untouched since the cutoff. */
const stepLabels: Record<StaleStep, string[]> = {
  stale: [`-label:${lifecycleLabel.stale}`, `-label:${lifecycleLabel.rotten}`],
  rotten: [`label:${lifecycleLabel.stale}`, `-label:${lifecycleLabel.rotten}`],
  close: [`label:${lifecycleLabel.rotten}`],
};

/** GitHub's search takes RFC 3339 times; fractions of a second are not part of that syntax. */
function searchTime(t: Date): string {
  return t.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * The issue search for one step in one repo, the way Prow's commenter builds it: the step's labels,
 * `is:open`, `updated:<=cutoff`, oldest first. Frozen items and `exemptLabels` are never matched.
 */
export function agingQuery(step: StaleStep, org: string, repo: string, cutoff: Date, exemptLabels: readonly string[] = []): string {
  return [
    `repo:${org}/${repo}`,
    'is:open',
    `-label:${lifecycleLabel.frozen}`,
    ...exemptLabels.map((l) => `-label:"${l}"`),
    ...stepLabels[step],
    `updated:<=${searchTime(cutoff)}`,
    'sort:updated-asc',
  ].join(' ');
}

interface SearchPage {
  search: {
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    nodes: ({ __typename: 'Issue' | 'PullRequest'; number: number; title: string; url: string; updatedAt: string } | Record<string, never> | null)[];
  };
}

const searchDocument = `query($q: String!, $first: Int!, $after: String) {
  search(type: ISSUE, query: $q, first: $first, after: $after) {
    pageInfo { hasNextPage endCursor }
    nodes {
      __typename
      ... on Issue { number title url updatedAt }
      ... on PullRequest { number title url updatedAt }
    }
  }
}`;

/**
 * Runs an issue search through GraphQL (`search(type: ISSUE)`), oldest first, stopping after `limit` items
 * (0: all of them, up to the 1,000 GitHub serves).
 */
export async function searchAgingItems(github: ProwOctokit, query: string, limit: number): Promise<AgingItem[]> {
  const items: AgingItem[] = [];
  let after: string | null = null;
  for (;;) {
    const first = limit > 0 ? Math.min(100, limit - items.length) : 100;
    const page: SearchPage = await github.graphql<SearchPage>(searchDocument, { q: query, first, after });
    for (const node of page.search.nodes) {
      if (node && 'number' in node) items.push({ number: node.number, isPR: node.__typename === 'PullRequest', title: node.title, url: node.url, updatedAt: node.updatedAt });
    }
    after = page.search.pageInfo.endCursor;
    if (!page.search.pageInfo.hasNextPage || after === null || (limit > 0 && items.length >= limit)) return items;
  }
}
