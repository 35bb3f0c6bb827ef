import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { EmulatorContext } from '../context.ts';
import { can, loadIssue, loadRepo, requireActor } from '../http/access.ts';
import { GitHubError, forbidden, notFound, validationFailed } from '../http/github-error.ts';
import { paginate } from '../http/pagination.ts';
import { renderComment, renderIssue } from '../render/issue.ts';
import { nodeId } from '../state/node-id.ts';
import { isoNow } from '../state/state.ts';
import type { Account, IssueComment, Repo } from '../state/types.ts';

interface RepoParams { Params: { owner: string; repo: string }; Querystring: Record<string, string | undefined> }
interface IssueParams { Params: { owner: string; repo: string; issue_number: string }; Querystring: Record<string, string | undefined> }
interface CommentParams { Params: { owner: string; repo: string; comment_id: string } }

function emitComment(emu: EmulatorContext, repo: Repo, c: IssueComment, action: string, sender: Account, extra: Record<string, unknown> = {}): void {
  const issue = repo.issues.get(c.issueNumber);
  if (!issue) return;
  emu.webhooks.emit({
    event: 'issue_comment',
    action,
    repo,
    sender,
    payload: { issue: renderIssue(emu, repo, issue), comment: renderComment(emu, repo, c), ...extra },
  });
}

function loadComment(repo: Repo, emu: EmulatorContext, id: string): IssueComment {
  const c = emu.state.comments.get(Number(id));
  if (c?.repoId !== repo.id) throw notFound();
  return c;
}

/** Authors edit their own comments; others need write access. */
function mayChange(emu: EmulatorContext, req: FastifyRequest, repo: Repo, c: IssueComment): boolean {
  return req.actor?.account.id === c.userId || can(emu, req, repo, 'write', 'issues');
}

function sinceFilter(list: IssueComment[], since: string | undefined): IssueComment[] {
  return since === undefined ? list : list.filter((c) => c.updatedAt >= since);
}

/** Issue and PR conversation comments. */
export function issueCommentRoutes(app: FastifyInstance): void {
  const { emu } = app;

  app.get<IssueParams>('/repos/:owner/:repo/issues/:issue_number/comments', (req, reply) => {
    const repo = loadRepo(emu, req, req.params.owner, req.params.repo);
    const issue = loadIssue(repo, req.params.issue_number);
    const list = sinceFilter(emu.state.issueComments(repo.id, issue.number), req.query.since);
    return paginate(req, reply, list, emu.urls.base).map((c) => renderComment(emu, repo, c));
  });

  app.post<IssueParams & { Body: { body?: string } }>('/repos/:owner/:repo/issues/:issue_number/comments', (req, reply) => {
    const repo = loadRepo(emu, req, req.params.owner, req.params.repo);
    const actor = requireActor(req);
    const issue = loadIssue(repo, req.params.issue_number);
    if (issue.locked && !can(emu, req, repo, 'write', 'issues')) throw new GitHubError(403, 'Unable to create comment because issue is locked.');
    const text = req.body.body;
    if (text === undefined || text === '') throw validationFailed({ resource: 'IssueComment', field: 'body', code: 'missing_field' });
    const now = isoNow();
    const id = emu.state.nextId();
    const c: IssueComment = { id, nodeId: nodeId('IssueComment', id), repoId: repo.id, issueNumber: issue.number, userId: actor.account.id, body: text, createdAt: now, updatedAt: now };
    emu.state.comments.set(id, c);
    issue.updatedAt = now;
    emitComment(emu, repo, c, 'created', actor.account);
    const rendered = renderComment(emu, repo, c);
    reply.code(201).header('location', rendered.url);
    return rendered;
  });

  app.get<RepoParams>('/repos/:owner/:repo/issues/comments', (req, reply) => {
    const repo = loadRepo(emu, req, req.params.owner, req.params.repo);
    let list = sinceFilter([...emu.state.comments.values()].filter((c) => c.repoId === repo.id), req.query.since);
    if (req.query.sort === 'updated') list = list.sort((a, b) => (a.updatedAt < b.updatedAt ? -1 : a.updatedAt > b.updatedAt ? 1 : a.id - b.id));
    if (req.query.direction === 'desc') list = list.reverse();
    return paginate(req, reply, list, emu.urls.base).map((c) => renderComment(emu, repo, c));
  });

  app.get<CommentParams>('/repos/:owner/:repo/issues/comments/:comment_id', (req) => {
    const repo = loadRepo(emu, req, req.params.owner, req.params.repo);
    return renderComment(emu, repo, loadComment(repo, emu, req.params.comment_id));
  });

  app.patch<CommentParams & { Body: { body: string } }>('/repos/:owner/:repo/issues/comments/:comment_id', (req) => {
    const repo = loadRepo(emu, req, req.params.owner, req.params.repo);
    const actor = requireActor(req);
    const c = loadComment(repo, emu, req.params.comment_id);
    if (!mayChange(emu, req, repo, c)) throw forbidden();
    if (req.body.body !== c.body) {
      const from = c.body;
      c.body = req.body.body;
      c.updatedAt = isoNow();
      emitComment(emu, repo, c, 'edited', actor.account, { changes: { body: { from } } });
    }
    return renderComment(emu, repo, c);
  });

  app.delete<CommentParams>('/repos/:owner/:repo/issues/comments/:comment_id', (req, reply) => {
    const repo = loadRepo(emu, req, req.params.owner, req.params.repo);
    const actor = requireActor(req);
    const c = loadComment(repo, emu, req.params.comment_id);
    if (!mayChange(emu, req, repo, c)) throw forbidden();
    emu.state.comments.delete(c.id);
    emitComment(emu, repo, c, 'deleted', actor.account);
    reply.code(204).send();
    return undefined;
  });
}
