import { createAppAuth } from '@octokit/auth-app';
import { Octokit } from '@octokit/rest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { octokitFor, startTestEmulator } from '../../../emulator/github/testing/test-emulator.ts';
import { createGitHubClient } from '../../../lib/github/github-client.ts';
import type { ProwOctokit } from '../../../lib/github/prow-octokit.ts';
import { memoryLogger } from '../../../test/helpers/memory-logger.ts';
import { foldContexts } from './fold-contexts.ts';
import { graphqlRequest } from './graphql-request.ts';
import { pullKey, searchPulls, searchTidePulls, tidePullFrom, tideSearchDocument, type SearchPullNode } from './search.ts';
import { datedQuery, tideQueryString } from './search-query.ts';

const silent = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

describe('foldContexts', () => {
  it("folds statuses and check runs into Tide's three states, best per name", () => {
    expect(
      foldContexts(
        [
          { context: 'unit', state: 'SUCCESS', description: 'Job succeeded.' },
          { context: 'e2e', state: 'ERROR', description: null },
          { context: 'required', state: 'EXPECTED', description: null },
          { context: 'build', state: 'pending', description: 'running' },
        ],
        [
          { name: 'lint', status: 'IN_PROGRESS', conclusion: null },
          { name: 'lint', status: 'COMPLETED', conclusion: 'NEUTRAL' },
          { name: 'e2e', status: 'completed', conclusion: 'success' },
          { name: 'docs', status: 'COMPLETED', conclusion: 'SKIPPED' },
          { name: 'vet', status: 'COMPLETED', conclusion: 'TIMED_OUT' },
          { name: 'build', status: 'COMPLETED', conclusion: 'FAILURE' },
          { name: '', status: 'COMPLETED', conclusion: 'FAILURE' },
        ],
      ),
    ).toEqual([
      { context: 'unit', state: 'success', description: 'Job succeeded.' },
      { context: 'e2e', state: 'success', description: '' },
      { context: 'required', state: 'failure', description: '' },
      { context: 'build', state: 'pending', description: 'running' },
      { context: 'lint', state: 'success', description: '' },
      { context: 'docs', state: 'success', description: '' },
      { context: 'vet', state: 'failure', description: '' },
    ]);
  });
});

describe("Tide's search, against the emulator", () => {
  let emu: Awaited<ReturnType<typeof startTestEmulator>>;
  let github: ProwOctokit;
  let alice: Octokit;
  let ci: Octokit;
  let botToken: string;
  const repo = { owner: 'acme', repo: 'widgets' };
  const lgtmQuery = { repos: ['acme/widgets'], labels: ['lgtm', 'approved'], missingLabels: ['do-not-merge/hold'] };
  let ready: { number: number; headSha: string };
  let held: { number: number; headSha: string };
  let release: { number: number; headSha: string };

  const openPull = async (head: string, labels: string[], base?: string): Promise<{ number: number; headSha: string }> => {
    const made = await emu.control.createPullRequest({ ...repo, author: 'alice', head, title: `Change ${head}`, body: `Body of ${head}`, files: { [`${head}.txt`]: head }, ...(base ? { base } : {}) });
    if (labels.length > 0) await alice.rest.issues.addLabels({ ...repo, issue_number: made.number, labels });
    return made;
  };

  beforeAll(async () => {
    emu = await startTestEmulator();
    botToken = (await emu.control.createUser({ login: 'tide-bot' })).token;
    const aliceToken = (await emu.control.createUser({ login: 'alice' })).token;
    await emu.control.createOrg({ login: 'acme', admins: ['tide-bot'], members: ['alice'], defaultRepoPermission: 'write' });
    await emu.control.createRepo({ owner: 'acme', name: 'widgets' });
    await emu.control.commitFiles({ ...repo, branch: 'release-1.0', from: 'main', files: { 'RELEASE': '1.0' }, message: 'branch release-1.0' });
    alice = octokitFor(emu.url, aliceToken);
    const app = await emu.control.createApp({ slug: 'ci-app', permissions: { checks: 'write', statuses: 'write', contents: 'read' } });
    const { installationId } = await emu.control.installApp({ appId: app.appId, account: 'acme' });
    ci = new Octokit({ baseUrl: emu.url, authStrategy: createAppAuth, auth: { appId: app.appId, privateKey: app.privateKey, installationId }, log: silent });
    github = createGitHubClient({
      credentials: { kind: 'token', token: botToken },
      logger: memoryLogger('warn').logger,
      baseUrl: emu.url,
      rateLimits: { enabled: false },
      retries: { retries: 0 },
    }).octokit;

    ready = await openPull('ready', ['lgtm', 'approved']);
    held = await openPull('held', ['lgtm', 'approved', 'do-not-merge/hold']);
    await openPull('unreviewed', ['lgtm']);
    release = await openPull('backport', ['lgtm', 'approved'], 'release-1.0');
    await alice.rest.issues.create({ ...repo, title: 'An issue, not a PR', labels: ['lgtm', 'approved'] });
    const { data: milestone } = await alice.rest.issues.createMilestone({ ...repo, title: 'v1.0' });
    await alice.rest.issues.update({ ...repo, issue_number: ready.number, milestone: milestone.number });
    await alice.rest.repos.createCommitStatus({ ...repo, sha: ready.headSha, context: 'unit', state: 'success', description: 'Job succeeded.' });
    await alice.rest.repos.createCommitStatus({ ...repo, sha: ready.headSha, context: 'e2e', state: 'pending', description: 'Job triggered.' });
    await ci.rest.checks.create({ ...repo, head_sha: ready.headSha, name: 'lint', status: 'completed', conclusion: 'failure' });
    await ci.rest.checks.create({ ...repo, head_sha: ready.headSha, name: 'docs', status: 'in_progress' });
  });

  afterAll(async () => {
    await emu.close();
  });

  it('finds the PRs the query selects and maps each to a TidePull', async () => {
    const { pulls, error } = await searchPulls(github, tideQueryString(lgtmQuery));
    expect(error).toBeUndefined();
    expect(pulls.map((p) => p.number).sort((a, b) => a - b)).toEqual([ready.number, release.number]);
    const pull = pulls.find((p) => p.number === ready.number);
    expect(pull).toEqual({
      org: 'acme',
      repo: 'widgets',
      number: ready.number,
      author: 'alice',
      title: 'Change ready',
      body: 'Body of ready',
      baseRef: 'main',
      headRefName: 'ready',
      headSha: ready.headSha,
      mergeable: 'MERGEABLE',
      mergeStateStatus: 'UNSTABLE',
      canBeRebased: true,
      reviewDecision: 'REVIEW_REQUIRED',
      labels: ['lgtm', 'approved'],
      milestone: 'v1.0',
      updatedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/) as unknown,
      contexts: [
        { context: 'unit', state: 'success', description: 'Job succeeded.' },
        { context: 'e2e', state: 'pending', description: 'Job triggered.' },
        { context: 'lint', state: 'failure', description: '' },
        { context: 'docs', state: 'pending', description: '' },
      ],
    });
    expect(pulls.find((p) => p.number === release.number)?.baseRef).toBe('release-1.0');
  });

  it('sends the search string with the updated range and the exact document', async () => {
    const end = new Date('2100-01-01T00:00:00Z');
    const past = await searchPulls(github, tideQueryString(lgtmQuery), { start: end, end });
    expect(past.pulls).toEqual([]);
    const q = datedQuery(tideQueryString(lgtmQuery), undefined, end);
    const page = await graphqlRequest<{ search: { nodes: { number?: number }[] } }>(github, tideSearchDocument, { query: q, searchCursor: null });
    expect(page.search.nodes.map((n) => n.number).sort((a, b) => (a ?? 0) - (b ?? 0))).toEqual([ready.number, release.number]);
  });

  it('reads the head contexts over REST when the head is not among the last four commits', async () => {
    const q = datedQuery(`${tideQueryString(lgtmQuery)} head:ready`, undefined, new Date());
    const page = await graphqlRequest<{ search: { nodes: SearchPullNode[] } }>(github, tideSearchDocument, { query: q, searchCursor: null });
    const node = page.search.nodes[0];
    if (node === undefined) throw new Error('the search found nothing');
    // GitHub orders commits(last: 4) by author date, so a rebased head can be missing from them.
    const before = (await emu.control.usage(botToken))[botToken]?.requests ?? 0;
    const viaRest = await tidePullFrom(github, { ...node, commits: { nodes: [] } });
    const after = (await emu.control.usage(botToken))[botToken]?.requests ?? 0;
    expect(after - before).toBe(2);
    expect(viaRest.contexts).toEqual([
      { context: 'e2e', state: 'pending', description: 'Job triggered.' },
      { context: 'unit', state: 'success', description: 'Job succeeded.' },
      { context: 'docs', state: 'pending', description: '' },
      { context: 'lint', state: 'failure', description: '' },
    ]);
  });

  it('follows endCursor past the 37 PRs of a page', async () => {
    await emu.control.createRepo({ owner: 'acme', name: 'bulk' });
    // One commit, and 39 branches pointing at it: each branch can be the head of its own PR.
    const { sha } = await emu.control.commitFiles({ owner: 'acme', repo: 'bulk', branch: 'b0', from: 'main', files: { 'bulk.txt': 'bulk' }, message: 'bulk' });
    const heads = Array.from({ length: 39 }, (_, i) => `b${i}`);
    await Promise.all(heads.slice(1).map((h) => alice.rest.git.createRef({ owner: 'acme', repo: 'bulk', ref: `refs/heads/${h}`, sha })));
    const made = await Promise.all(heads.map((head) => emu.control.createPullRequest({ owner: 'acme', repo: 'bulk', author: 'alice', head, title: head })));
    const numbers = made.map((m) => m.number).sort((a, b) => a - b);
    const before = (await emu.control.usage(botToken))[botToken]?.requests ?? 0;
    const { pulls, error } = await searchPulls(github, tideQueryString({ repos: ['acme/bulk'] }));
    const after = (await emu.control.usage(botToken))[botToken]?.requests ?? 0;
    expect(error).toBeUndefined();
    expect(after - before).toBe(2);
    expect(pulls.map((p) => p.number).sort((a, b) => a - b)).toEqual(numbers);
  }, 120_000); // 39 PRs with real git behind each take a while on a busy machine

  it('merges what all queries find, once per PR, and keeps going when one query fails', async () => {
    const { pulls, failures } = await searchTidePulls(github, [lgtmQuery, { repos: ['acme/widgets'], includedBranches: ['release-1.0'] }]);
    expect(pulls.map(pullKey).sort()).toEqual([`acme/widgets#${ready.number}`, `acme/widgets#${release.number}`].sort());
    expect(failures).toEqual([]);
    await emu.control.faults({ method: 'POST', pathPrefix: '/graphql', status: 502, count: 1 });
    const partial = await searchTidePulls(github, [{ repos: ['acme/widgets'], labels: ['do-not-merge/hold'] }]);
    expect(partial.pulls).toEqual([]);
    expect(partial.failures.map((f) => f.queryIndex)).toEqual([0]);
    const again = await searchTidePulls(github, [{ repos: ['acme/widgets'], labels: ['do-not-merge/hold'] }]);
    expect(again.pulls.map((p) => p.number)).toEqual([held.number]);
  });
});
