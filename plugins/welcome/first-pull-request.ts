import type { PluginContextBase } from '../plugin.ts';

interface AuthorSearch {
  search: { issueCount: number; nodes: ({ number?: number } | null)[] };
}

const searchDocument = `query($q: String!) {
  search(type: ISSUE, query: $q, first: 2) {
    issueCount
    nodes { ... on PullRequest { number } }
  }
}`;

/**
 * Whether PR `number` is `author`'s first in the event's repo, as Prow's welcome asks the issue search
 * (`is:pr repo:org/repo author:login`): no PR found (the index may lag behind the new one), or only this one.
 */
export async function isFirstPullRequest(ctx: PluginContextBase, author: string, number: number): Promise<boolean> {
  const q = `is:pr repo:${ctx.org}/${ctx.repo} author:${author}`;
  const { search } = await ctx.github.graphql<AuthorSearch>(searchDocument, { q });
  if (search.issueCount === 0) return true;
  return search.issueCount === 1 && search.nodes[0]?.number === number;
}
