import type { FastifyInstance } from 'fastify';
import { loadIssue, loadRepo, requireActor } from '../http/access.ts';
import { GitHubError } from '../http/github-error.ts';
import { paginate } from '../http/pagination.ts';
import { issueLabels, renderLabel } from '../render/issue.ts';
import type { Issue, Repo } from '../state/types.ts';
import { addLabels, removeLabel, setLabels } from './issue-actions.ts';

interface IssueParams { Params: { owner: string; repo: string; issue_number: string } }
type LabelsBody = { labels?: (string | { name: string })[] } | (string | { name: string })[] | undefined;

/** Label names from any body shape GitHub accepts: `{labels: [...]}` or a bare array, of names or `{name}`. */
function labelNames(body: LabelsBody): string[] {
  const list = Array.isArray(body) ? body : (body?.labels ?? []);
  return list.map((l) => (typeof l === 'string' ? l : l.name));
}

/** The labels of one issue or PR. */
export function issueLabelRoutes(app: FastifyInstance): void {
  const { emu } = app;
  const current = (repo: Repo, issue: Issue): Record<string, unknown>[] => issueLabels(repo, issue).map((l) => renderLabel(emu, repo, l));

  app.get<IssueParams>('/repos/:owner/:repo/issues/:issue_number/labels', (req, reply) => {
    const repo = loadRepo(emu, req, req.params.owner, req.params.repo);
    const issue = loadIssue(repo, req.params.issue_number);
    return paginate(req, reply, current(repo, issue), emu.urls.base);
  });

  app.post<IssueParams & { Body: LabelsBody }>('/repos/:owner/:repo/issues/:issue_number/labels', (req) => {
    const repo = loadRepo(emu, req, req.params.owner, req.params.repo, 'triage', 'issues');
    const issue = loadIssue(repo, req.params.issue_number);
    addLabels(emu, repo, issue, labelNames(req.body), requireActor(req).account);
    return current(repo, issue);
  });

  app.put<IssueParams & { Body: LabelsBody }>('/repos/:owner/:repo/issues/:issue_number/labels', (req) => {
    const repo = loadRepo(emu, req, req.params.owner, req.params.repo, 'triage', 'issues');
    const issue = loadIssue(repo, req.params.issue_number);
    setLabels(emu, repo, issue, labelNames(req.body), requireActor(req).account);
    return current(repo, issue);
  });

  app.delete<IssueParams>('/repos/:owner/:repo/issues/:issue_number/labels', (req, reply) => {
    const repo = loadRepo(emu, req, req.params.owner, req.params.repo, 'triage', 'issues');
    const issue = loadIssue(repo, req.params.issue_number);
    setLabels(emu, repo, issue, [], requireActor(req).account);
    reply.code(204).send();
    return undefined;
  });

  app.delete<{ Params: { owner: string; repo: string; issue_number: string; name: string } }>(
    '/repos/:owner/:repo/issues/:issue_number/labels/:name',
    (req) => {
      const repo = loadRepo(emu, req, req.params.owner, req.params.repo, 'triage', 'issues');
      const issue = loadIssue(repo, req.params.issue_number);
      if (!removeLabel(emu, repo, issue, req.params.name, requireActor(req).account)) throw new GitHubError(404, 'Label does not exist');
      return current(repo, issue);
    },
  );
}
