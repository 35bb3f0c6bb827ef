import type { FastifyInstance } from 'fastify';
import { can, loadRepo, requireActor } from '../http/access.ts';
import { forbidden, notFound, validationFailed } from '../http/github-error.ts';
import { paginate } from '../http/pagination.ts';
import { renderPull } from '../render/pull.ts';
import { renderPullSimple } from '../render/pull-simple.ts';
import type { PullRequest, Repo } from '../state/types.ts';
import { emitPullEvent } from '../webhooks/pull-events.ts';
import { editIssue, setIssueState } from './issue-actions.ts';
import { createPull, gitName, pullFacts } from './pull-actions.ts';
import { onRefsMoved } from './ref-updates.ts';

interface RepoParams { Params: { owner: string; repo: string }; Querystring: Record<string, string | undefined> }
interface PullParams { Params: { owner: string; repo: string; pull_number: string } }

interface CreateBody {
  title?: string;
  head: string;
  base: string;
  body?: string | null;
  draft?: boolean;
  maintainer_can_modify?: boolean;
  issue?: number;
}

interface UpdateBody {
  title?: string;
  body?: string | null;
  state?: 'open' | 'closed';
  base?: string;
  maintainer_can_modify?: boolean;
}

/** The PR with that number, or 404 (also for an issue's number, as GitHub answers). */
export function loadPull(repo: Repo, numberParam: string | number): PullRequest {
  const pull = repo.pulls.get(Number(numberParam));
  if (!pull) throw notFound();
  return pull;
}

function matches(repo: Repo, pull: PullRequest, q: Record<string, string | undefined>, ownerLogin: string): boolean {
  const issue = repo.issues.get(pull.number);
  const state = q.state ?? 'open';
  if (state !== 'all' && issue?.state !== state) return false;
  if (q.base !== undefined && pull.base.ref !== q.base) return false;
  if (q.head !== undefined) {
    // GitHub filters by `user:ref`; a bare value is taken as the user.
    const colon = q.head.indexOf(':');
    const owner = colon === -1 ? q.head : q.head.slice(0, colon);
    if (owner.toLowerCase() !== ownerLogin.toLowerCase()) return false;
    if (colon !== -1 && pull.head.ref !== q.head.slice(colon + 1)) return false;
  }
  return true;
}

/** Sorts as GitHub's list does: `desc` by default for `created` (the default sort), `asc` otherwise. */
function sortPulls(repo: Repo, list: PullRequest[], q: Record<string, string | undefined>): PullRequest[] {
  const sort = q.sort ?? 'created';
  const issue = (p: PullRequest): { createdAt: string; updatedAt: string } => repo.issues.get(p.number) ?? { createdAt: '', updatedAt: '' };
  const key = (p: PullRequest): string | number => (sort === 'updated' ? issue(p).updatedAt : sort === 'long-running' ? -p.number : p.number);
  const sorted = [...list].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : a.number - b.number));
  return (q.direction ?? (sort === 'created' ? 'desc' : 'asc')) === 'desc' ? sorted.reverse() : sorted;
}

/** Pull requests: list, read, open and edit; PRs follow pushes through a push listener. */
export function pullRoutes(app: FastifyInstance): void {
  const { emu } = app;
  emu.pushListeners.push((repo, updates, pusher) => onRefsMoved(emu, repo, updates, pusher));

  app.get<RepoParams>('/repos/:owner/:repo/pulls', (req, reply) => {
    const repo = loadRepo(emu, req, req.params.owner, req.params.repo);
    const owner = emu.state.account(repo.ownerId).login;
    const list = sortPulls(repo, [...repo.pulls.values()].filter((p) => matches(repo, p, req.query, owner)), req.query);
    return paginate(req, reply, list, emu.urls.base).map((p) => renderPullSimple(emu, repo, p));
  });

  app.get<PullParams>('/repos/:owner/:repo/pulls/:pull_number', async (req) => {
    const repo = loadRepo(emu, req, req.params.owner, req.params.repo);
    const pull = loadPull(repo, req.params.pull_number);
    return renderPull(emu, repo, pull, await pullFacts(emu, repo, pull));
  });

  app.post<RepoParams & { Body: CreateBody }>('/repos/:owner/:repo/pulls', async (req, reply) => {
    const actor = requireActor(req);
    const repo = loadRepo(emu, req, req.params.owner, req.params.repo, actor.token.kind === 'installation' ? 'write' : 'read', 'pull_requests');
    const { body } = req;
    const pull = await createPull(emu, repo, actor.account, {
      head: body.head,
      base: body.base,
      title: body.title ?? '',
      body: body.body ?? null,
      draft: body.draft ?? false,
      maintainerCanModify: body.maintainer_can_modify ?? true,
    });
    const rendered = renderPull(emu, repo, pull, await pullFacts(emu, repo, pull));
    reply.code(201).header('location', rendered.url);
    return rendered;
  });

  app.patch<PullParams & { Body: UpdateBody }>('/repos/:owner/:repo/pulls/:pull_number', async (req) => {
    const actor = requireActor(req);
    const repo = loadRepo(emu, req, req.params.owner, req.params.repo);
    const pull = loadPull(repo, req.params.pull_number);
    const issue = repo.issues.get(pull.number);
    if (!issue) throw notFound();
    if (actor.account.id !== issue.userId && !can(emu, req, repo, 'write', 'pull_requests')) throw forbidden();
    const { body } = req;
    if (body.base !== undefined && body.base !== pull.base.ref) {
      const [owner, name] = gitName(emu, repo);
      const sha = await emu.git.resolve(owner, name, `refs/heads/${body.base}`);
      if (sha === undefined) throw validationFailed({ resource: 'PullRequest', field: 'base', code: 'invalid' });
      const changes = { base: { ref: { from: pull.base.ref }, sha: { from: pull.base.sha } } };
      pull.base = { ...pull.base, ref: body.base, sha };
      emitPullEvent(emu, repo, pull, 'edited', actor.account, await pullFacts(emu, repo, pull), { changes });
    }
    if (body.maintainer_can_modify !== undefined) pull.maintainerCanModify = body.maintainer_can_modify;
    editIssue(emu, repo, issue, { ...(body.title === undefined ? {} : { title: body.title }), ...(body.body === undefined ? {} : { body: body.body }) }, actor.account);
    if (body.state !== undefined && !pull.merged) setIssueState(emu, repo, issue, body.state, actor.account);
    return renderPull(emu, repo, pull, await pullFacts(emu, repo, pull));
  });
}
