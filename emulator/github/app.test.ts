import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failure, octokitFor, startTestEmulator } from './testing/test-emulator.ts';

describe('GitHub emulator REST', () => {
  let emu: Awaited<ReturnType<typeof startTestEmulator>>;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    emu = await startTestEmulator();
    for (const login of ['owner', 'member', 'outsider', 'writer', 'reader', ...Array.from({ length: 11 }, (_, i) => `dev${i}`)]) {
      tokens[login] = (await emu.control.createUser({ login })).token;
    }
    await emu.control.createOrg({ login: 'org', admins: ['owner'], members: ['member', ...Array.from({ length: 11 }, (_, i) => `dev${i}`)] });
    await emu.control.createRepo({ owner: 'org', name: 'public', collaborators: { writer: 'write' } });
    await emu.control.createRepo({ owner: 'org', name: 'secret', private: true, collaborators: { reader: 'read' } });
    await emu.control.createRepo({ owner: 'outsider', name: 'own', collaborators: { reader: 'read' } });
  });

  afterAll(async () => {
    await emu.close();
  });

  const as = (login: string): ReturnType<typeof octokitFor> => octokitFor(emu.url, tokens[login]);

  describe('auth', () => {
    it('answers 401 Bad credentials for an unknown token', async () => {
      const err = await failure(octokitFor(emu.url, 'ghp_notatoken').users.getAuthenticated());
      expect(err.status).toBe(401);
      expect((err.response?.data as { message: string }).message).toBe('Bad credentials');
    });

    it('answers 401 Requires authentication for anonymous /user', async () => {
      expect((await failure(octokitFor(emu.url).users.getAuthenticated())).status).toBe(401);
    });

    it('hides private repos from those who cannot see them with 404', async () => {
      expect((await failure(as('outsider').repos.get({ owner: 'org', repo: 'secret' }))).status).toBe(404);
      expect((await failure(octokitFor(emu.url).repos.get({ owner: 'org', repo: 'secret' }))).status).toBe(404);
      const seen = await as('reader').repos.get({ owner: 'org', repo: 'secret' });
      expect(seen.data.permissions).toEqual({ admin: false, maintain: false, push: false, triage: false, pull: true });
      expect((await as('member').repos.get({ owner: 'org', repo: 'secret' })).data.private).toBe(true);
    });

    it('refuses writes without permission with 403', async () => {
      const err = await failure(as('reader').issues.createLabel({ owner: 'org', repo: 'secret', name: 'x' }));
      expect(err.status).toBe(403);
      expect((await as('writer').issues.createLabel({ owner: 'org', repo: 'public', name: 'x' })).status).toBe(201);
    });

    it('reports permissions and memberships', async () => {
      const perm = await as('owner').repos.getCollaboratorPermissionLevel({ owner: 'org', repo: 'public', username: 'writer' });
      expect([perm.data.permission, perm.data.role_name]).toEqual(['write', 'write']);
      expect((await as('owner').repos.checkCollaborator({ owner: 'org', repo: 'public', username: 'writer' })).status).toBe(204);
      expect((await failure(as('owner').repos.checkCollaborator({ owner: 'org', repo: 'public', username: 'outsider' }))).status).toBe(404);
      expect((await as('owner').orgs.checkMembershipForUser({ org: 'org', username: 'member' })).status).toBe(204);
      expect((await failure(as('owner').orgs.checkMembershipForUser({ org: 'org', username: 'outsider' }))).status).toBe(404);
      expect((await as('owner').orgs.getMembershipForUser({ org: 'org', username: 'owner' })).data.role).toBe('admin');
      const mine = await as('reader').repos.listForAuthenticatedUser();
      expect(mine.data.map((r) => r.full_name).sort()).toEqual(['org/secret', 'outsider/own']);
    });
  });

  describe('issues', () => {
    it('assigns only people GitHub allows, at most ten, ignoring the rest silently', async () => {
      const { data: issue } = await as('outsider').issues.create({ owner: 'org', repo: 'public', title: 'assign me' });
      const all = ['outsider', 'nobody-such', ...Array.from({ length: 11 }, (_, i) => `dev${i}`)];
      const { data } = await as('owner').issues.addAssignees({ owner: 'org', repo: 'public', issue_number: issue.number, assignees: all });
      // outsider has no access and has not commented; org members with read access can be assigned.
      expect(data.assignees?.map((a) => a.login)).toEqual(Array.from({ length: 10 }, (_, i) => `dev${i}`));
      expect((await failure(as('owner').issues.checkUserCanBeAssigned({ owner: 'org', repo: 'public', assignee: 'outsider' }))).status).toBe(404);
      expect((await as('owner').issues.checkUserCanBeAssigned({ owner: 'org', repo: 'public', assignee: 'member' })).status).toBe(204);
      await as('outsider').issues.createComment({ owner: 'org', repo: 'public', issue_number: issue.number, body: 'me too' });
      await as('owner').issues.removeAssignees({ owner: 'org', repo: 'public', issue_number: issue.number, assignees: ['dev0'] });
      const after = await as('owner').issues.addAssignees({ owner: 'org', repo: 'public', issue_number: issue.number, assignees: ['outsider'] });
      expect(after.data.assignees?.map((a) => a.login)).toContain('outsider');
    });

    it('refuses unassignable users on issue creation with 422', async () => {
      const err = await failure(as('owner').issues.create({ owner: 'org', repo: 'public', title: 't', assignees: ['outsider'] }));
      expect(err.status).toBe(422);
      expect((err.response?.data as { errors: unknown[] }).errors).toEqual([{ resource: 'Issue', field: 'assignees', code: 'invalid', value: 'outsider' }]);
    });

    it('creates labels that do not exist when adding them to an issue', async () => {
      const { data: issue } = await as('member').issues.create({ owner: 'org', repo: 'public', title: 'label me' });
      const { data } = await as('writer').issues.addLabels({ owner: 'org', repo: 'public', issue_number: issue.number, labels: ['brand-new', 'x'] });
      expect(data.map((l) => l.name)).toEqual(['brand-new', 'x']);
      const label = await as('writer').issues.getLabel({ owner: 'org', repo: 'public', name: 'brand-new' });
      expect(label.data.color).toBe('ededed');
      const left = await as('writer').issues.removeLabel({ owner: 'org', repo: 'public', issue_number: issue.number, name: 'x' });
      expect(left.data.map((l) => l.name)).toEqual(['brand-new']);
      expect((await failure(as('writer').issues.removeLabel({ owner: 'org', repo: 'public', issue_number: issue.number, name: 'x' }))).status).toBe(404);
      const dup = await failure(as('writer').issues.createLabel({ owner: 'org', repo: 'public', name: 'BRAND-NEW' }));
      expect(dup.status).toBe(422);
    });

    it('lets authors close their issues and outsiders do nothing else', async () => {
      const { data: issue } = await as('outsider').issues.create({ owner: 'org', repo: 'public', title: 'mine', labels: ['dropped'] });
      expect(issue.labels).toEqual([]);
      const closed = await as('outsider').issues.update({ owner: 'org', repo: 'public', issue_number: issue.number, state: 'closed', state_reason: 'not_planned' });
      expect([closed.data.state, closed.data.state_reason]).toEqual(['closed', 'not_planned']);
      const { data: other } = await as('member').issues.create({ owner: 'org', repo: 'public', title: 'theirs' });
      expect((await failure(as('outsider').issues.update({ owner: 'org', repo: 'public', issue_number: other.number, state: 'closed' }))).status).toBe(403);
    });

    it('paginates with GitHub\'s Link header', async () => {
      await emu.control.createRepo({ owner: 'org', name: 'many' });
      for (let i = 1; i <= 7; i++) await as('member').issues.create({ owner: 'org', repo: 'many', title: `issue ${i}` });
      const page2 = await as('member').issues.listForRepo({ owner: 'org', repo: 'many', per_page: 3, page: 2 });
      expect(page2.data.map((i) => i.number)).toEqual([4, 3, 2]);
      const base = `${emu.url}/repos/org/many/issues?per_page=3&page=`;
      expect(page2.headers.link).toBe(`<${base}1>; rel="prev", <${base}3>; rel="next", <${base}3>; rel="last", <${base}1>; rel="first"`);
      const all = await as('member').paginate(as('member').issues.listForRepo, { owner: 'org', repo: 'many', per_page: 2, direction: 'asc' });
      expect(all.map((i) => i.number)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    });

    it('keeps the event log of labels, assignees, renames and closing', async () => {
      const { data: issue } = await as('member').issues.create({ owner: 'org', repo: 'public', title: 'log me' });
      const n = issue.number;
      await as('writer').issues.addLabels({ owner: 'org', repo: 'public', issue_number: n, labels: ['lgtm'] });
      await as('writer').issues.addAssignees({ owner: 'org', repo: 'public', issue_number: n, assignees: ['member'] });
      await as('writer').issues.update({ owner: 'org', repo: 'public', issue_number: n, title: 'logged', state: 'closed' });
      const { data } = await as('member').issues.listEvents({ owner: 'org', repo: 'public', issue_number: n });
      expect(data.map((e) => [e.event, e.actor.login])).toEqual([
        ['labeled', 'writer'],
        ['assigned', 'writer'],
        ['renamed', 'writer'],
        ['closed', 'writer'],
      ]);
      expect(data[0]).toMatchObject({ label: { name: 'lgtm' } });
      expect(data[2]).toMatchObject({ rename: { from: 'log me', to: 'logged' } });
    });

    it('lists, edits and deletes comments', async () => {
      const { data: issue } = await as('member').issues.create({ owner: 'org', repo: 'public', title: 'talk' });
      const { data: c } = await as('outsider').issues.createComment({ owner: 'org', repo: 'public', issue_number: issue.number, body: 'hello' });
      expect((await failure(as('member').issues.updateComment({ owner: 'org', repo: 'public', comment_id: c.id, body: 'hijack' }))).status).toBe(403);
      await as('outsider').issues.updateComment({ owner: 'org', repo: 'public', comment_id: c.id, body: 'hello again' });
      const list = await as('member').issues.listComments({ owner: 'org', repo: 'public', issue_number: issue.number });
      expect(list.data.map((x) => [x.body, x.user?.login, x.author_association])).toEqual([['hello again', 'outsider', 'NONE']]);
      expect((await as('writer').issues.deleteComment({ owner: 'org', repo: 'public', comment_id: c.id })).status).toBe(204);
      expect((await failure(as('member').issues.getComment({ owner: 'org', repo: 'public', comment_id: c.id }))).status).toBe(404);
    });
  });

  describe('OpenAPI contract', () => {
    it('answers 404 for a route GitHub does not have', async () => {
      const err = await failure(as('member').request('GET /repos/{owner}/{repo}/no-such-thing', { owner: 'org', repo: 'public' }));
      expect(err.status).toBe(404);
      expect((err.response?.data as { message: string }).message).toBe('Not Found');
    });

    it('answers 501 naming the operationId for a GitHub route the emulator lacks', async () => {
      const err = await failure(as('member').request('GET /repos/{owner}/{repo}/releases', { owner: 'org', repo: 'public' }));
      expect(err.status).toBe(501);
      expect(err.message).toContain('repos/list-releases');
    });

    it('answers 422 Invalid request for a body that breaks the schema', async () => {
      const err = await failure(as('member').request('POST /repos/{owner}/{repo}/issues', { owner: 'org', repo: 'public', labels: 'not-an-array' } as never));
      expect(err.status).toBe(422);
      const message = (err.response?.data as { message: string }).message;
      expect(message).toMatch(/^Invalid request\.\n\n/);
      expect(message).toContain('"title" wasn\'t supplied.');
    });
  });

  describe('rate limits and caching', () => {
    it('answers 304 to a matching If-None-Match without spending the budget', async () => {
      const { token } = await emu.control.createToken('member');
      const gh = octokitFor(emu.url, token);
      const first = await gh.repos.get({ owner: 'org', repo: 'public' });
      expect(first.headers.etag).toMatch(/^W\/"[0-9a-f]{64}"$/);
      expect(first.headers['x-ratelimit-remaining']).toBe('4999');
      const err = await failure(gh.repos.get({ owner: 'org', repo: 'public', headers: { 'if-none-match': first.headers.etag } }));
      expect(err.status).toBe(304);
      expect(err.response?.headers['x-ratelimit-remaining']).toBe('4999');
      const usage = (await emu.control.usage(token))[token];
      expect(usage).toMatchObject({ requests: 2, notModified: 1, cost: 1, remaining: 4999 });
      const rate = await gh.rateLimit.get();
      expect(rate.data.resources.core.remaining).toBe(4999);
    });

    it('counts each rate-limit resource apart: core, search and graphql', async () => {
      const { token } = await emu.control.createToken('member');
      const gh = octokitFor(emu.url, token);
      const first = await gh.repos.get({ owner: 'org', repo: 'public' });
      await failure(gh.repos.get({ owner: 'org', repo: 'public', headers: { 'if-none-match': first.headers.etag } }));
      // Not implemented here (501), but answered, so it is counted against search as GitHub would.
      await failure(gh.search.issuesAndPullRequests({ q: 'repo:org/public is:issue' }));
      await gh.graphql('{ viewer { login } }');
      const usage = (await emu.control.usage(token))[token];
      expect(usage?.resources).toEqual({
        core: { requests: 2, notModified: 1, cost: 1 },
        search: { requests: 1, notModified: 0, cost: 1 },
        graphql: { requests: 1, notModified: 0, cost: 1 },
      });
      expect(usage).toMatchObject({ requests: 4, notModified: 1, cost: 3 });
    });

    it('answers 403 with GitHub\'s message once the budget is spent', async () => {
      const { token } = await emu.control.createToken('member');
      await emu.control.setRateLimit(2, token);
      const gh = octokitFor(emu.url, token);
      await gh.users.getAuthenticated();
      const last = await gh.users.getAuthenticated();
      expect(last.headers['x-ratelimit-remaining']).toBe('0');
      const err = await failure(gh.users.getAuthenticated());
      expect(err.status).toBe(403);
      expect(err.response?.headers['x-ratelimit-remaining']).toBe('0');
      expect((err.response?.data as { message: string }).message).toMatch(/^API rate limit exceeded for user ID \d+\./);
    });

    it('injects faults for matching requests only, then recovers', async () => {
      await emu.control.faults({ count: 2, status: 502, method: 'GET', pathPrefix: '/repos/org/public/issues' });
      const gh = as('member');
      expect((await gh.repos.get({ owner: 'org', repo: 'public' })).status).toBe(200);
      expect((await failure(gh.issues.listForRepo({ owner: 'org', repo: 'public' }))).status).toBe(502);
      expect((await failure(gh.issues.listForRepo({ owner: 'org', repo: 'public' }))).status).toBe(502);
      expect((await gh.issues.listForRepo({ owner: 'org', repo: 'public' })).status).toBe(200);
      await emu.control.faults({ count: 1, secondaryRateLimit: true, retryAfter: 7 });
      const err = await failure(gh.users.getAuthenticated());
      expect(err.status).toBe(403);
      expect(err.response?.headers['retry-after']).toBe('7');
      expect((err.response?.data as { message: string }).message).toMatch(/secondary rate limit/);
    });
  });
});
