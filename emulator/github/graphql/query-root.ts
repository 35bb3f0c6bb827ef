import type { GqlContext } from './graphql-context.ts';
import { accountModel } from './account-model.ts';
import { connection } from './connection.ts';
import { issueModel } from './issue-model.ts';
import { field, listArg, notFoundError, notImplemented, stringArg, type Model } from './model.ts';
import { lookupNode } from './node-lookup.ts';
import { pullRequestModel } from './pull-request-model.ts';
import { readableRepo } from './repository-model.ts';
import { searchIssues } from './search-issues.ts';

/**
 * What one query costs: GitHub prices by requested nodes, the emulator charges 1 point per query (core's
 * API hooks record it in the caller's budget after the answer, `dryRun` or not).
 */
const queryCost = 1;

const maxSearchResults = 1000;

function account(ctx: GqlContext, login: string, type: 'User' | 'Organization'): Model | null {
  const a = ctx.emu.state.accountByLogin(login);
  if (!a || (type === 'Organization') !== (a.type === 'Organization')) {
    throw notFoundError(`Could not resolve to a${type === 'User' ? ' User' : 'n Organization'} with the login of '${login}'.`);
  }
  return accountModel(ctx.emu, a);
}

/**
 * The root of every query (and of mutations, none of which the emulator implements: each answers a
 * GraphQL error naming it). `nodeCount` is the number the static analysis of the request found.
 */
export function queryRoot(nodeCount: number): Model {
  return {
    __typename: 'Query',
    viewer: field((_args, ctx) => ({ ...accountModel(ctx.emu, ctx.actor.account), __typename: 'User' })),
    rateLimit: field((_args, ctx) => {
      const u = ctx.emu.limits.usage(ctx.rateKey);
      // The request is recorded after it is answered; the numbers include it, as GitHub's do.
      return {
        __typename: 'RateLimit',
        limit: u.limit,
        cost: queryCost,
        used: u.cost + queryCost,
        remaining: Math.max(0, u.remaining - queryCost),
        resetAt: new Date(u.reset * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
        nodeCount,
      };
    }),
    search: field((args, ctx, info) => {
      const type = stringArg(args, 'type');
      if (type !== 'ISSUE') throw notImplemented(`search(type: ${type ?? ''})`);
      const hits = searchIssues(ctx.emu.state, ctx.actor, stringArg(args, 'query') ?? '');
      const toNode = (h: (typeof hits)[number]): Model =>
        h.pull ? pullRequestModel(ctx.emu, h.repo, h.pull) : issueModel(ctx.emu, h.repo, h.issue);
      // GitHub's search serves at most 1,000 results; the count is of all matches.
      return connection(hits.slice(0, maxSearchResults), args, info, toNode, {
        issueCount: hits.length,
        codeCount: 0,
        repositoryCount: 0,
        userCount: 0,
        wikiCount: 0,
        discussionCount: 0,
      });
    }),
    repository: field((args, ctx) => {
      const owner = stringArg(args, 'owner') ?? '';
      const name = stringArg(args, 'name') ?? '';
      const repo = readableRepo(ctx, owner, name);
      if (!repo) throw notFoundError(`Could not resolve to a Repository with the name '${owner}/${name}'.`);
      return repo;
    }),
    node: field((args, ctx) => {
      const id = stringArg(args, 'id') ?? '';
      const found = lookupNode(ctx, id);
      if (!found) throw notFoundError(`Could not resolve to a node with the global id of '${id}'`);
      return found;
    }),
    nodes: field((args, ctx) => (listArg(args, 'ids') ?? []).map((id) => lookupNode(ctx, id) ?? null)),
    user: field((args, ctx) => account(ctx, stringArg(args, 'login') ?? '', 'User')),
    organization: field((args, ctx) => account(ctx, stringArg(args, 'login') ?? '', 'Organization')),
    repositoryOwner: field((args, ctx) => {
      const a = ctx.emu.state.accountByLogin(stringArg(args, 'login') ?? '');
      return a ? accountModel(ctx.emu, a) : null;
    }),
  };
}
