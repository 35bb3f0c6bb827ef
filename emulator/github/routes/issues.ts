import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { EmulatorContext } from '../context.ts';
import { can, loadIssue, loadRepo, requireActor } from '../http/access.ts';
import { GitHubError, forbidden, validationFailed } from '../http/github-error.ts';
import { paginate } from '../http/pagination.ts';
import { issueLabels, renderIssue } from '../render/issue.ts';
import { canBeAssignedTo } from '../state/permissions.ts';
import type { Issue, Repo } from '../state/types.ts';
import { emitIssueEvent } from '../webhooks/issue-events.ts';
import { addAssignees, addLabels, editIssue, maxAssignees, removeAssignees, setIssueState, setLabels, setMilestone } from './issue-actions.ts';

interface RepoParams { Params: { owner: string; repo: string }; Querystring: Record<string, string | undefined> }
interface IssueParams { Params: { owner: string; repo: string; issue_number: string } }
type LabelInput = string | { name: string };

interface IssueBody {
  title?: string | number;
  body?: string | null;
  assignee?: string | null;
  assignees?: string[];
  milestone?: string | number | null;
  labels?: LabelInput[];
  state?: 'open' | 'closed';
  state_reason?: 'completed' | 'not_planned' | 'reopened' | null;
}

function names(labels: LabelInput[]): string[] {
  return labels.map((l) => (typeof l === 'string' ? l : l.name));
}

/** Assignee logins requested by a body (`assignees`, or the older single `assignee`). */
function requestedAssignees(body: IssueBody): string[] | undefined {
  if (body.assignees !== undefined) return body.assignees;
  if (body.assignee !== undefined) return body.assignee === null ? [] : [body.assignee];
  return undefined;
}

/** 422 unless every login can be assigned: issue create and edit refuse what POST /assignees skips. */
function checkAssignees(emu: EmulatorContext, repo: Repo, issueNumber: number, logins: string[]): void {
  for (const login of logins) {
    const user = emu.state.accountByLogin(login);
    if (!user || !canBeAssignedTo(emu.state, user.id, repo, issueNumber)) {
      throw validationFailed({ resource: 'Issue', field: 'assignees', code: 'invalid', value: login });
    }
  }
}

function milestoneNumber(repo: Repo, value: string | number | null): number | null {
  if (value === null) return null;
  const n = Number(value);
  if (!repo.milestones.has(n)) throw validationFailed({ resource: 'Issue', field: 'milestone', code: 'invalid', value });
  return n;
}

function matches(emu: EmulatorContext, repo: Repo, issue: Issue, q: Record<string, string | undefined>): boolean {
  const state = q.state ?? 'open';
  if (state !== 'all' && issue.state !== state) return false;
  if (q.labels) {
    const have = new Set(issueLabels(repo, issue).map((l) => l.name.toLowerCase()));
    if (!q.labels.split(',').every((l) => have.has(l.trim().toLowerCase()))) return false;
  }
  if (q.assignee !== undefined) {
    if (q.assignee === 'none' ? issue.assigneeIds.length > 0 : q.assignee === '*' ? issue.assigneeIds.length === 0 : !issue.assigneeIds.includes(emu.state.accountByLogin(q.assignee)?.id ?? -1)) return false;
  }
  if (q.creator !== undefined && issue.userId !== emu.state.accountByLogin(q.creator)?.id) return false;
  if (q.milestone !== undefined) {
    if (q.milestone === 'none' ? issue.milestoneNumber !== null : q.milestone === '*' ? issue.milestoneNumber === null : issue.milestoneNumber !== Number(q.milestone)) return false;
  }
  return q.since === undefined || issue.updatedAt >= q.since;
}

function sortIssues(emu: EmulatorContext, repo: Repo, list: Issue[], q: Record<string, string | undefined>): Issue[] {
  const key = q.sort ?? 'created';
  const value = (i: Issue): string | number =>
    key === 'updated' ? i.updatedAt : key === 'comments' ? emu.state.issueComments(repo.id, i.number).length : i.number;
  const sorted = [...list].sort((a, b) => (value(a) < value(b) ? -1 : value(a) > value(b) ? 1 : a.number - b.number));
  return (q.direction ?? 'desc') === 'desc' ? sorted.reverse() : sorted;
}

/** Whether the caller may change title, body and state: the author, or anyone with triage. */
function mayEdit(emu: EmulatorContext, req: FastifyRequest, repo: Repo, issue: Issue): boolean {
  return req.actor?.account.id === issue.userId || can(emu, req, repo, 'triage', 'issues');
}

/** Issues: list, read, create, edit, and assignees. */
export function issueRoutes(app: FastifyInstance): void {
  const { emu } = app;

  app.get<RepoParams>('/repos/:owner/:repo/issues', (req, reply) => {
    const repo = loadRepo(emu, req, req.params.owner, req.params.repo);
    const list = sortIssues(emu, repo, [...repo.issues.values()].filter((i) => matches(emu, repo, i, req.query)), req.query);
    return paginate(req, reply, list, emu.urls.base).map((i) => renderIssue(emu, repo, i));
  });

  app.get<IssueParams>('/repos/:owner/:repo/issues/:issue_number', (req) => {
    const repo = loadRepo(emu, req, req.params.owner, req.params.repo);
    return renderIssue(emu, repo, loadIssue(repo, req.params.issue_number));
  });

  app.post<RepoParams & { Body: IssueBody }>('/repos/:owner/:repo/issues', (req, reply) => {
    const repo = loadRepo(emu, req, req.params.owner, req.params.repo);
    const actor = requireActor(req);
    if (repo.archived) throw new GitHubError(410, 'Repository was archived so is read-only.');
    const { body } = req;
    if (body.title === undefined || body.title === '') throw validationFailed({ resource: 'Issue', field: 'title', code: 'missing_field' });
    // Without triage, GitHub drops labels, assignees and milestone silently instead of refusing.
    const triage = can(emu, req, repo, 'triage', 'issues');
    const assignees = triage ? (requestedAssignees(body) ?? []) : [];
    checkAssignees(emu, repo, repo.nextNumber, assignees);
    const milestone = triage && body.milestone !== undefined ? milestoneNumber(repo, body.milestone) : null;
    const issue = emu.state.addIssue(repo, actor.account.id, { title: String(body.title), body: body.body ?? null });
    for (const login of assignees.slice(0, maxAssignees)) {
      const id = emu.state.accountByLogin(login)?.id;
      if (id !== undefined && !issue.assigneeIds.includes(id)) issue.assigneeIds.push(id);
    }
    issue.milestoneNumber = milestone;
    if (triage && body.labels) {
      for (const name of names(body.labels)) {
        const label = repo.labels.get(name.toLowerCase());
        if (label) issue.labelIds.push(label.id);
      }
    }
    emitIssueEvent(emu, repo, issue, 'opened', actor.account);
    // Labels the repo did not have yet are created (and announced) after the issue exists, as GitHub does.
    if (triage && body.labels) addLabels(emu, repo, issue, names(body.labels), actor.account);
    const rendered = renderIssue(emu, repo, issue);
    reply.code(201).header('location', rendered.url);
    return rendered;
  });

  app.patch<IssueParams & { Body: IssueBody }>('/repos/:owner/:repo/issues/:issue_number', (req) => {
    const repo = loadRepo(emu, req, req.params.owner, req.params.repo);
    const actor = requireActor(req);
    const issue = loadIssue(repo, req.params.issue_number);
    if (!mayEdit(emu, req, repo, issue)) throw forbidden();
    const { body } = req;
    const triage = can(emu, req, repo, 'triage', 'issues');
    const assignees = triage ? requestedAssignees(body) : undefined;
    if (assignees) checkAssignees(emu, repo, issue.number, assignees);
    const milestone = triage && body.milestone !== undefined ? milestoneNumber(repo, body.milestone) : undefined;
    editIssue(emu, repo, issue, { ...(body.title === undefined ? {} : { title: String(body.title) }), ...(body.body === undefined ? {} : { body: body.body }) }, actor.account);
    if (body.state !== undefined) setIssueState(emu, repo, issue, body.state, actor.account, body.state_reason ?? undefined);
    else if (body.state_reason !== undefined && issue.state === 'closed') issue.stateReason = body.state_reason;
    if (triage && body.labels !== undefined) setLabels(emu, repo, issue, names(body.labels), actor.account);
    if (assignees) {
      const keep = new Set(assignees.map((l) => l.toLowerCase()));
      const drop = issue.assigneeIds.map((id) => emu.state.account(id).login).filter((l) => !keep.has(l.toLowerCase()));
      removeAssignees(emu, repo, issue, drop, actor.account);
      addAssignees(emu, repo, issue, assignees, actor.account);
    }
    if (milestone !== undefined) setMilestone(emu, repo, issue, milestone, actor.account);
    return renderIssue(emu, repo, issue);
  });

  app.post<IssueParams & { Body: { assignees?: string[] } }>('/repos/:owner/:repo/issues/:issue_number/assignees', (req, reply) => {
    const repo = loadRepo(emu, req, req.params.owner, req.params.repo);
    const actor = requireActor(req);
    const issue = loadIssue(repo, req.params.issue_number);
    // Without triage GitHub answers 201 and changes nothing, like it skips unassignable users.
    if (can(emu, req, repo, 'triage', 'issues')) addAssignees(emu, repo, issue, req.body.assignees ?? [], actor.account);
    reply.code(201);
    return renderIssue(emu, repo, issue);
  });

  app.delete<IssueParams & { Body: { assignees?: string[] } | undefined }>('/repos/:owner/:repo/issues/:issue_number/assignees', (req) => {
    const repo = loadRepo(emu, req, req.params.owner, req.params.repo);
    const actor = requireActor(req);
    const issue = loadIssue(repo, req.params.issue_number);
    if (can(emu, req, repo, 'triage', 'issues')) removeAssignees(emu, repo, issue, req.body?.assignees ?? [], actor.account);
    return renderIssue(emu, repo, issue);
  });

  app.get<{ Params: { owner: string; repo: string; issue_number: string; assignee: string } }>(
    '/repos/:owner/:repo/issues/:issue_number/assignees/:assignee',
    (req, reply) => {
      const repo = loadRepo(emu, req, req.params.owner, req.params.repo);
      const issue = loadIssue(repo, req.params.issue_number);
      const user = emu.state.accountByLogin(req.params.assignee);
      if (!user || !canBeAssignedTo(emu.state, user.id, repo, issue.number)) throw new GitHubError(404, 'Not Found');
      reply.code(204).send();
      return undefined;
    },
  );
}
