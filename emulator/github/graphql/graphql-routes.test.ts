import { Octokit } from '@octokit/rest';
import { paginateGraphQL } from '@octokit/plugin-paginate-graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeId } from '../state/node-id.ts';
import { failure, startTestEmulator } from '../testing/test-emulator.ts';

/**
 * Tide's search as its `searchQuery` struct sends it (reference: tide-mergequeue.md §1.3); only `$query`
 * is `$searchQuery` here, since @octokit/graphql reserves the name `query`.
 */
const tideQuery = `query($searchQuery: String!, $searchCursor: String) {
  rateLimit { cost remaining }
  search(type: ISSUE, first: 37, after: $searchCursor, query: $searchQuery) {
    pageInfo { hasNextPage endCursor }
    nodes { ... on PullRequest {
      number  author { login }  authorMetadata: author { __typename }
      baseRef { name prefix }  headRefName  headRefOid
      mergeable  mergeStateStatus  canBeRebased  reviewDecision
      repository { name nameWithOwner owner { login } }
      commits(last: 4) { nodes { commit {
        oid
        status { contexts { context description state } }
        statusCheckRollup { contexts(last: 100) { nodes { ... on CheckRun { name conclusion status } } } }
      } } }
      labels(first: 100) { nodes { name } }
      milestone { title }  body  title  updatedAt
    } }
  }
}`;

interface TidePull {
  number: number;
  author: { login: string };
  authorMetadata: { __typename: string };
  baseRef: { name: string; prefix: string } | null;
  headRefName: string;
  headRefOid: string;
  mergeable: string;
  mergeStateStatus: string;
  canBeRebased: boolean;
  reviewDecision: string | null;
  repository: { name: string; nameWithOwner: string; owner: { login: string } };
  commits: {
    nodes: {
      commit: {
        oid: string;
        status: { contexts: { context: string; description: string | null; state: string }[] } | null;
        statusCheckRollup: { contexts: { nodes: { name?: string; conclusion?: string | null; status?: string }[] } } | null;
      };
    }[];
  };
  labels: { nodes: { name: string }[] };
  milestone: { title: string } | null;
  body: string;
  title: string;
  updatedAt: string;
}

interface TideAnswer {
  rateLimit: { cost: number; remaining: number };
  search: { pageInfo: { hasNextPage: boolean; endCursor: string | null }; nodes: TidePull[] };
}

const GraphqlOctokit = Octokit.plugin(paginateGraphQL);

/** The error a GraphQL call failed with (GraphqlResponseError carries no HTTP status); throws when it succeeded. */
async function rejection(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (err) {
    if (err instanceof Error) return err;
    throw err;
  }
  throw new Error('expected the query to fail');
}
const silent = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

describe('POST /graphql', () => {
  let emu: Awaited<ReturnType<typeof startTestEmulator>>;
  let bob: InstanceType<typeof GraphqlOctokit>;
  let alice: InstanceType<typeof GraphqlOctokit>;
  let bobToken: string;
  const heads = new Map<string, string>();

  const tide = (query: string, searchCursor?: string): Promise<TideAnswer> =>
    bob.graphql<TideAnswer>(tideQuery, { searchQuery: query, ...(searchCursor === undefined ? {} : { searchCursor }) });
  const numbers = (pulls: readonly TidePull[]): string[] => pulls.map((p) => `${p.repository.nameWithOwner}#${p.number}`).sort();

  beforeAll(async () => {
    emu = await startTestEmulator();
    const { control } = emu;
    const a = await control.createUser({ login: 'alice', name: 'Alice A.' });
    const b = await control.createUser({ login: 'bob' });
    bobToken = b.token;
    bob = new GraphqlOctokit({ baseUrl: emu.url, auth: b.token, log: silent });
    alice = new GraphqlOctokit({ baseUrl: emu.url, auth: a.token, log: silent });
    await control.createOrg({ login: 'acme', admins: ['alice'], members: ['bob'], defaultRepoPermission: 'write' });
    await control.createRepo({ owner: 'acme', name: 'app', files: { 'shared.txt': 'base\n' } });
    await control.createRepo({ owner: 'acme', name: 'lib' });
    await control.createRepo({ owner: 'alice', name: 'tools', collaborators: { bob: 'write' } });
    await control.commitFiles({ owner: 'acme', repo: 'app', branch: 'release', from: 'main', files: { 'rel.txt': 'r\n' }, message: 'release' });

    const open = async (owner: string, repo: string, head: string, labels: string[], extra: { base?: string; files?: Record<string, string>; author?: string; draft?: boolean } = {}): Promise<number> => {
      const pr = await control.createPullRequest({
        owner,
        repo,
        author: extra.author ?? 'bob',
        head,
        title: `Change ${head}`,
        body: `Body of ${head}`,
        files: extra.files ?? { [`${head}.txt`]: `${head}\n` },
        ...(extra.base === undefined ? {} : { base: extra.base }),
        ...(extra.draft === undefined ? {} : { draft: extra.draft }),
      });
      heads.set(`${owner}/${repo}#${pr.number}`, pr.headSha);
      if (labels.length > 0) await alice.rest.issues.addLabels({ owner, repo, issue_number: pr.number, labels });
      return pr.number;
    };
    const a1 = await open('acme', 'app', 'feat-a', ['lgtm', 'approved']);
    await open('acme', 'app', 'feat-b', ['lgtm', 'approved', 'do-not-merge/hold']);
    await open('acme', 'app', 'feat-c', ['lgtm', 'approved'], { base: 'release' });
    await open('acme', 'app', 'conflict', ['lgtm', 'approved'], { files: { 'shared.txt': 'theirs\n' } });
    await open('acme', 'app', 'feat-e', ['lgtm']);
    await open('acme', 'lib', 'lib-a', ['lgtm', 'approved']);
    await open('alice', 'tools', 'tools-a', ['lgtm', 'approved'], { author: 'alice' });
    await control.commitFiles({ owner: 'acme', repo: 'app', branch: 'main', files: { 'shared.txt': 'ours\n' }, message: 'diverge' });
    await alice.rest.issues.create({ owner: 'acme', repo: 'app', title: 'An issue, not a PR', labels: ['lgtm', 'approved'] });

    const a1Head = heads.get(`acme/app#${a1}`) ?? '';
    await alice.rest.repos.createCommitStatus({ owner: 'acme', repo: 'app', sha: a1Head, state: 'pending', context: 'ci/unit' });
    await alice.rest.repos.createCommitStatus({ owner: 'acme', repo: 'app', sha: a1Head, state: 'success', context: 'ci/unit', description: 'Job succeeded.' });
    await alice.rest.repos.createCommitStatus({ owner: 'acme', repo: 'app', sha: a1Head, state: 'failure', context: 'ci/lint', target_url: 'https://ci.example/lint' });
    await alice.rest.pulls.createReview({ owner: 'acme', repo: 'app', pull_number: a1, event: 'APPROVE' });
    const repo = emu.state.repoByName('acme', 'app');
    const checkId = emu.state.nextId();
    emu.state.checkRuns.set(checkId, {
      id: checkId,
      nodeId: nodeId('CheckRun', checkId),
      repoId: repo?.id ?? 0,
      headSha: a1Head,
      name: 'build',
      status: 'completed',
      conclusion: 'success',
      startedAt: null,
      completedAt: null,
      detailsUrl: null,
      externalId: null,
      output: { title: null, summary: null, text: null },
      appId: null,
    });
  });

  afterAll(async () => {
    await emu.close();
  });

  it("answers Tide's search with the PRs its query selects, across orgs, repos, labels and bases", async () => {
    const all = await tide('is:pr state:open archived:false label:"lgtm" label:"approved" -label:"do-not-merge/hold" org:"acme" repo:"alice/tools"');
    expect(numbers(all.search.nodes)).toEqual(['acme/app#1', 'acme/app#3', 'acme/app#4', 'acme/lib#1', 'alice/tools#1']);
    expect(all.search.pageInfo.hasNextPage).toBe(false);
    expect(all.rateLimit.cost).toBe(1);

    const release = await tide('is:pr state:open label:lgtm repo:acme/app base:release');
    expect(numbers(release.search.nodes)).toEqual(['acme/app#3']);
    const notRelease = await tide('is:pr state:open label:"lgtm" repo:"acme/app" -base:"release" -label:approved');
    expect(numbers(notRelease.search.nodes)).toEqual(['acme/app#5']);
    const dated = await tide(`is:pr state:open archived:false label:"lgtm" repo:"acme/lib" updated:2007-01-01T00:00:00Z..${new Date(Date.now() + 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z')}`);
    expect(numbers(dated.search.nodes)).toEqual(['acme/lib#1']);
    const anyOf = await tide('is:pr label:"do-not-merge/hold","nope" author:bob');
    expect(numbers(anyOf.search.nodes)).toEqual(['acme/app#2']);
  });

  it('fills the PR fields Tide reads from the state and from git', async () => {
    const { search } = await tide('is:pr repo:acme/app');
    const byNumber = new Map(search.nodes.map((p) => [p.number, p]));
    const a = byNumber.get(1);
    expect(a).toMatchObject({
      author: { login: 'bob' },
      authorMetadata: { __typename: 'User' },
      baseRef: { name: 'main', prefix: 'refs/heads/' },
      headRefName: 'feat-a',
      headRefOid: heads.get('acme/app#1'),
      mergeable: 'MERGEABLE',
      mergeStateStatus: 'UNSTABLE',
      canBeRebased: true,
      reviewDecision: 'APPROVED',
      repository: { name: 'app', nameWithOwner: 'acme/app', owner: { login: 'acme' } },
      milestone: null,
      title: 'Change feat-a',
      body: 'Body of feat-a',
    });
    expect(a?.labels.nodes.map((l) => l.name)).toEqual(['lgtm', 'approved']);
    const head = a?.commits.nodes.at(-1)?.commit;
    expect(head?.oid).toBe(heads.get('acme/app#1'));
    expect(head?.status?.contexts).toEqual([
      { context: 'ci/unit', description: 'Job succeeded.', state: 'SUCCESS' },
      { context: 'ci/lint', description: null, state: 'FAILURE' },
    ]);
    expect(head?.statusCheckRollup?.contexts.nodes).toEqual([{ name: 'build', conclusion: 'SUCCESS', status: 'COMPLETED' }, {}, {}]);

    const conflicting = byNumber.get(4);
    expect(conflicting).toMatchObject({ mergeable: 'CONFLICTING', mergeStateStatus: 'DIRTY', canBeRebased: false, reviewDecision: 'REVIEW_REQUIRED' });
    expect(conflicting?.commits.nodes.at(-1)?.commit).toMatchObject({ status: null, statusCheckRollup: null });
    expect(byNumber.get(5)?.mergeStateStatus).toBe('CLEAN');
  });

  it('pages the search with opaque cursors, by hand and with paginate-graphql', async () => {
    const q = 'is:pr label:lgtm sort:created-asc';
    const firstPage = await bob.graphql<TideAnswer>(tideQuery.replace('first: 37', 'first: 2'), { searchQuery: q });
    expect(firstPage.search.nodes.map((p) => p.number)).toHaveLength(2);
    expect(firstPage.search.pageInfo.hasNextPage).toBe(true);
    const cursor = firstPage.search.pageInfo.endCursor ?? '';
    expect(cursor).not.toMatch(/^\d+$/);
    const second = await bob.graphql<TideAnswer>(tideQuery.replace('first: 37', 'first: 2'), { searchQuery: q, searchCursor: cursor });
    expect(second.search.nodes[0]?.number).not.toBe(firstPage.search.nodes[0]?.number);

    const paged = await bob.graphql.paginate<{ search: { issueCount: number; nodes: { number?: number; repository?: { nameWithOwner: string } }[] } }>(
      `query($cursor: String) {
        search(type: ISSUE, first: 2, after: $cursor, query: "is:pr label:lgtm sort:created-asc") {
          issueCount
          pageInfo { hasNextPage endCursor }
          nodes { ... on PullRequest { number repository { nameWithOwner } } }
        }
      }`,
    );
    const seen = paged.search.nodes.map((n) => `${n.repository?.nameWithOwner ?? ''}#${n.number ?? 0}`);
    expect(seen).toEqual(['acme/app#1', 'acme/app#2', 'acme/app#3', 'acme/app#4', 'acme/app#5', 'acme/lib#1', 'alice/tools#1']);
    expect(paged.search.issueCount).toBe(7);
  });

  it('finds issues as issues, with edges and cursors', async () => {
    const res = await bob.graphql<{ search: { issueCount: number; edges: { cursor: string; node: { __typename: string; title: string; state: string } }[] } }>(
      `{ search(type: ISSUE, first: 10, query: "is:issue is:open label:lgtm repo:acme/app") {
        issueCount edges { cursor node { __typename ... on Issue { title state } } } } }`,
    );
    expect(res.search.issueCount).toBe(1);
    expect(res.search.edges[0]?.node).toEqual({ __typename: 'Issue', title: 'An issue, not a PR', state: 'OPEN' });
    expect(typeof res.search.edges[0]?.cursor).toBe('string');
  });

  it('serves repository, pullRequest, issue and node lookups by id', async () => {
    const res = await bob.graphql<{
      repository: { id: string; defaultBranchRef: { name: string; target: { oid: string } }; pullRequest: { id: string; number: number; state: string; headRefOid: string }; labels: { totalCount: number } };
    }>(`{ repository(owner: "acme", name: "app") {
      id defaultBranchRef { name target { ... on Commit { oid } } }
      pullRequest(number: 1) { id number state headRefOid }
      labels(first: 100) { totalCount }
    } }`);
    const repo = emu.state.repoByName('acme', 'app');
    expect(res.repository.id).toBe(repo?.nodeId);
    expect(res.repository.defaultBranchRef.name).toBe('main');
    expect(res.repository.defaultBranchRef.target.oid).toMatch(/^[0-9a-f]{40}$/);
    expect(res.repository.pullRequest).toMatchObject({ number: 1, state: 'OPEN', headRefOid: heads.get('acme/app#1') });
    expect(res.repository.pullRequest.id).toBe(repo?.pulls.get(1)?.nodeId);
    expect(res.repository.labels.totalCount).toBe(3);

    const byId = await bob.graphql<{ node: { __typename: string; number: number }; nodes: ({ __typename: string } | null)[] }>(
      `query($id: ID!, $ids: [ID!]!) { node(id: $id) { __typename ... on PullRequest { number } } nodes(ids: $ids) { __typename } }`,
      { id: res.repository.pullRequest.id, ids: [res.repository.id, 'bm9wZQ=='] },
    );
    expect(byId.node).toEqual({ __typename: 'PullRequest', number: 1 });
    expect(byId.nodes).toEqual([{ __typename: 'Repository' }, null]);
  });

  it('answers viewer and rateLimit from the caller and its budget', async () => {
    const before = (await emu.control.usage(bobToken))[bobToken];
    const res = await bob.graphql<{ viewer: { login: string; id: string; name: string | null }; rateLimit: { limit: number; cost: number; remaining: number; used: number; resetAt: string; nodeCount: number } }>(
      '{ viewer { login id name } rateLimit { limit cost remaining used resetAt nodeCount } }',
    );
    expect(res.viewer).toEqual({ login: 'bob', id: emu.state.accountByLogin('bob')?.nodeId, name: emu.state.accountByLogin('bob')?.name });
    expect(res.rateLimit).toMatchObject({ limit: 5000, cost: 1, used: (before?.cost ?? 0) + 1, remaining: 5000 - (before?.cost ?? 0) - 1, nodeCount: 0 });
    expect(Date.parse(res.rateLimit.resetAt)).toBeGreaterThan(Date.now());
    const after = (await emu.control.usage(bobToken))[bobToken];
    expect(after?.cost).toBe((before?.cost ?? 0) + 1);
    const tideCount = await bob.graphql<{ rateLimit: { nodeCount: number } }>(
      '{ rateLimit { nodeCount } search(type: ISSUE, first: 37, query: "is:pr") { nodes { ... on PullRequest { labels(first: 100) { nodes { name } } } } } }',
    );
    expect(tideCount.rateLimit.nodeCount).toBe(37 + 37 * 100);
  });

  it('sends rate-limit headers for the graphql resource', async () => {
    const res = await fetch(`${emu.url}/graphql`, {
      method: 'POST',
      headers: { authorization: `bearer ${bobToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ viewer { login } }' }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-ratelimit-resource')).toBe('graphql');
    expect(Number(res.headers.get('x-ratelimit-remaining'))).toBeLessThan(5000);
  });

  it('answers invalid queries with graphql-js validation errors and no data', async () => {
    const res = await fetch(`${emu.url}/graphql`, {
      method: 'POST',
      headers: { authorization: `token ${bobToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ repository(owner: "acme", name: "app") { pullRequest(number: 1) { numbr } } }' }),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { data?: unknown; errors: { message: string; locations: unknown[] }[] };
    expect(body.data).toBeUndefined();
    expect(body.errors[0]?.message).toBe('Cannot query field "numbr" on type "PullRequest". Did you mean "number"?');
    expect(body.errors[0]?.locations).toEqual([{ line: 1, column: 69 }]);
    const err = await rejection(bob.graphql('{ viewer { logn } }'));
    expect(err.message).toContain('Did you mean "login"?');
  });

  it('names what it does not implement and what it cannot find, with partial data', async () => {
    const res = await fetch(`${emu.url}/graphql`, {
      method: 'POST',
      headers: { authorization: `token ${bobToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ viewer { login bio } missing: repository(owner: "acme", name: "nope") { id } }' }),
    });
    const body = (await res.json()) as { data: Record<string, unknown>; errors: { type?: string; message: string; path: string[] }[] };
    expect(body.data).toEqual({ viewer: { login: 'bob', bio: null }, missing: null });
    expect(body.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ type: 'NOT_IMPLEMENTED', path: ['viewer', 'bio'], message: 'The GitHub emulator does not implement User.bio' }),
        expect.objectContaining({ type: 'NOT_FOUND', path: ['missing'], message: "Could not resolve to a Repository with the name 'acme/nope'." }),
      ]),
    );
    const tooMany = await rejection(bob.graphql('{ search(type: ISSUE, first: 101, query: "is:pr") { issueCount } }'));
    expect(tooMany.message).toContain('Requesting 101 records on the `search` connection exceeds the `first` limit of 100 records.');
    const unbounded = await rejection(bob.graphql('{ repository(owner: "acme", name: "app") { labels { totalCount } } }'));
    expect(unbounded.message).toContain('You must provide a `first` or `last` value to properly paginate the `labels` connection.');
  });

  it('reports merged, closed and draft PRs, milestones and change requests', async () => {
    const { control } = emu;
    await control.createRepo({ owner: 'acme', name: 'flow' });
    const pr = async (head: string, draft = false): Promise<number> =>
      (await control.createPullRequest({ owner: 'acme', repo: 'flow', author: 'bob', head, title: head, files: { [`${head}.txt`]: head }, draft })).number;
    const merged = await pr('merged');
    const draft = await pr('draft', true);
    const closed = await pr('closed');
    const blocked = await pr('blocked');
    const where = { owner: 'acme', repo: 'flow' };
    const { data: merge } = await alice.rest.pulls.merge({ ...where, pull_number: merged, merge_method: 'merge' });
    await alice.rest.pulls.update({ ...where, pull_number: closed, state: 'closed' });
    await alice.rest.pulls.createReview({ ...where, pull_number: blocked, event: 'REQUEST_CHANGES', body: 'Please split this.' });
    const { data: milestone } = await alice.rest.issues.createMilestone({ ...where, title: 'v1' });
    await alice.rest.issues.update({ ...where, issue_number: blocked, milestone: milestone.number });

    const res = await bob.graphql<{ repository: { pullRequests: { totalCount: number; nodes: Record<string, unknown>[] } } }>(`{
      repository(owner: "acme", name: "flow") {
        pullRequests(first: 10, states: [OPEN, CLOSED, MERGED]) {
          totalCount
          nodes {
            number state merged closed isDraft mergeable mergeStateStatus reviewDecision
            changedFiles additions files(first: 10) { nodes { path changeType additions deletions } }
            mergeCommit { oid } milestone { title }
            reviews(first: 5) { nodes { state body author { login } } }
          }
        }
      }
    }`);
    const byNumber = new Map(res.repository.pullRequests.nodes.map((n) => [n.number, n]));
    expect(res.repository.pullRequests.totalCount).toBe(4);
    expect(byNumber.get(merged)).toMatchObject({ state: 'MERGED', merged: true, closed: true, mergeable: 'UNKNOWN', mergeCommit: { oid: merge.sha } });
    expect(byNumber.get(draft)).toMatchObject({ state: 'OPEN', isDraft: true, mergeStateStatus: 'DRAFT', mergeable: 'MERGEABLE' });
    expect(byNumber.get(closed)).toMatchObject({ state: 'CLOSED', merged: false, mergeCommit: null });
    expect(byNumber.get(blocked)).toMatchObject({
      reviewDecision: 'CHANGES_REQUESTED',
      milestone: { title: 'v1' },
      changedFiles: 1,
      additions: 1,
      files: { nodes: [{ path: 'blocked.txt', changeType: 'ADDED', additions: 1, deletions: 0 }] },
      reviews: { nodes: [{ state: 'CHANGES_REQUESTED', body: 'Please split this.', author: { login: 'alice' } }] },
    });

    const found = async (q: string): Promise<number[]> =>
      (await tide(`repo:acme/flow ${q}`)).search.nodes.map((n) => n.number).sort((a, b) => a - b);
    expect(await found('is:pr is:merged')).toEqual([merged]);
    expect(await found('is:pr is:closed -is:merged')).toEqual([closed]);
    expect(await found('is:pr is:open draft:false')).toEqual([blocked]);
    expect(await found('is:pr review:changes_requested')).toEqual([blocked]);
    expect(await found('is:pr is:open review:required')).toEqual([draft]);
    expect(await found('is:pr milestone:"v1"')).toEqual([blocked]);
    expect(await found('is:pr state:open sort:updated-desc')).toEqual([draft, blocked].sort((a, b) => a - b));
  });

  it('answers mutations and unsupported qualifiers with errors naming them', async () => {
    const mutation = await rejection(bob.graphql('mutation { addStar(input: { starrableId: "x" }) { clientMutationId } }'));
    expect(mutation.message).toContain('The GitHub emulator does not implement Mutation.addStar');
    const qualifier = await rejection(bob.graphql('{ search(type: ISSUE, first: 1, query: "is:pr status:success") { issueCount } }'));
    expect(qualifier.message).toContain('does not implement the search qualifier `status:`');
  });

  it('refuses bad tokens, anonymous callers and malformed bodies', async () => {
    const post = (body: string, auth?: string): Promise<Response> =>
      fetch(`${emu.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(auth === undefined ? {} : { authorization: auth }) },
        body,
      });
    const bad = await post(JSON.stringify({ query: '{ viewer { login } }' }), 'token ghp_nope');
    expect(bad.status).toBe(401);
    expect(((await bad.json()) as { message: string }).message).toBe('Bad credentials');
    const anon = await post(JSON.stringify({ query: '{ viewer { login } }' }));
    expect(anon.status).toBe(401);
    const noQuery = await post(JSON.stringify({ variables: {} }), `token ${bobToken}`);
    expect(noQuery.status).toBe(400);
    const notJson = await post('{ viewer', `token ${bobToken}`);
    expect(notJson.status).toBe(400);
    const badToken = new GraphqlOctokit({ baseUrl: emu.url, auth: 'ghp_nope', log: silent });
    expect((await failure(badToken.graphql('{ viewer { login } }'))).status).toBe(401);
  });
});
