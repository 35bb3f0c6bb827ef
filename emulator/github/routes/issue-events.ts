import type { FastifyInstance } from 'fastify';
import { loadIssue, loadRepo } from '../http/access.ts';
import { notFound } from '../http/github-error.ts';
import { paginate } from '../http/pagination.ts';
import { renderIssue, renderIssueEvent } from '../render/issue.ts';

interface RepoParams {
  Params: { owner: string; repo: string };
}
interface IssueParams {
  Params: { owner: string; repo: string; issue_number: string };
}

/** The event log of issues and PRs: who labeled, assigned, closed, renamed, and when. */
export function issueEventRoutes(app: FastifyInstance): void {
  const { emu } = app;

  app.get<IssueParams>('/repos/:owner/:repo/issues/:issue_number/events', (req, reply) => {
    const repo = loadRepo(emu, req, req.params.owner, req.params.repo);
    const issue = loadIssue(repo, req.params.issue_number);
    const events = emu.state.issueEvents.filter((e) => e.repoId === repo.id && e.issueNumber === issue.number);
    return paginate(req, reply, events, emu.urls.base).map((e) => renderIssueEvent(emu, repo, e));
  });

  app.get<RepoParams>('/repos/:owner/:repo/issues/events', (req, reply) => {
    const repo = loadRepo(emu, req, req.params.owner, req.params.repo);
    const events = emu.state.issueEvents.filter((e) => e.repoId === repo.id).reverse();
    return paginate(req, reply, events, emu.urls.base).map((e) => {
      const issue = repo.issues.get(e.issueNumber);
      return { ...renderIssueEvent(emu, repo, e), ...(issue ? { issue: renderIssue(emu, repo, issue) } : {}) };
    });
  });

  app.get<{ Params: { owner: string; repo: string; event_id: string } }>('/repos/:owner/:repo/issues/events/:event_id', (req) => {
    const repo = loadRepo(emu, req, req.params.owner, req.params.repo);
    const e = emu.state.issueEvents.find((x) => x.id === Number(req.params.event_id) && x.repoId === repo.id);
    if (!e) throw notFound();
    return renderIssueEvent(emu, repo, e);
  });
}
