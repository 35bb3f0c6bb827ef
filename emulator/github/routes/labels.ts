import type { FastifyInstance } from 'fastify';
import { loadRepo, requireActor } from '../http/access.ts';
import { notFound, validationFailed } from '../http/github-error.ts';
import { paginate } from '../http/pagination.ts';
import { renderLabel } from '../render/issue.ts';
import { isoNow } from '../state/state.ts';
import { createLabel } from './issue-actions.ts';

interface RepoParams { Params: { owner: string; repo: string } }
interface LabelParams { Params: { owner: string; repo: string; name: string } }

function checkColor(color: string | undefined): void {
  if (color !== undefined && !/^#?[0-9a-fA-F]{6}$/.test(color)) {
    throw validationFailed({ resource: 'Label', field: 'color', code: 'invalid' });
  }
}

/** A repo's labels: list, create, read, edit, delete. */
export function labelRoutes(app: FastifyInstance): void {
  const { emu } = app;

  app.get<RepoParams>('/repos/:owner/:repo/labels', (req, reply) => {
    const repo = loadRepo(emu, req, req.params.owner, req.params.repo);
    return paginate(req, reply, [...repo.labels.values()], emu.urls.base).map((l) => renderLabel(emu, repo, l));
  });

  app.post<RepoParams & { Body: { name: string; color?: string; description?: string } }>('/repos/:owner/:repo/labels', (req, reply) => {
    const repo = loadRepo(emu, req, req.params.owner, req.params.repo, 'write', 'issues');
    const { name, color, description } = req.body;
    checkColor(color);
    if (repo.labels.has(name.toLowerCase())) throw validationFailed({ resource: 'Label', code: 'already_exists', field: 'name' });
    const label = createLabel(emu, repo, requireActor(req).account, { name, ...(color === undefined ? {} : { color }), description: description ?? null });
    reply.code(201).header('location', emu.urls.api(`/repos/${emu.state.fullName(repo)}/labels/${encodeURIComponent(name)}`));
    return renderLabel(emu, repo, label);
  });

  app.get<LabelParams>('/repos/:owner/:repo/labels/:name', (req) => {
    const repo = loadRepo(emu, req, req.params.owner, req.params.repo);
    const label = repo.labels.get(req.params.name.toLowerCase());
    if (!label) throw notFound();
    return renderLabel(emu, repo, label);
  });

  app.patch<LabelParams & { Body: { new_name?: string; color?: string; description?: string } }>('/repos/:owner/:repo/labels/:name', (req) => {
    const repo = loadRepo(emu, req, req.params.owner, req.params.repo, 'write', 'issues');
    const label = repo.labels.get(req.params.name.toLowerCase());
    if (!label) throw notFound();
    const { new_name: newName, color, description } = req.body;
    checkColor(color);
    const changes: Record<string, { from: string }> = {};
    if (newName !== undefined && newName !== label.name) {
      const clash = repo.labels.get(newName.toLowerCase());
      if (clash && clash.id !== label.id) throw validationFailed({ resource: 'Label', code: 'already_exists', field: 'name' });
      changes.name = { from: label.name };
      repo.labels.delete(label.name.toLowerCase());
      label.name = newName;
      repo.labels.set(newName.toLowerCase(), label);
    }
    if (color !== undefined && color.replace(/^#/, '').toLowerCase() !== label.color) {
      changes.color = { from: label.color };
      label.color = color.replace(/^#/, '').toLowerCase();
    }
    if (description !== undefined && description !== label.description) {
      changes.description = { from: label.description ?? '' };
      label.description = description;
    }
    if (Object.keys(changes).length > 0) {
      repo.updatedAt = isoNow();
      emu.webhooks.emit({ event: 'label', action: 'edited', repo, sender: requireActor(req).account, payload: { label: renderLabel(emu, repo, label), changes } });
    }
    return renderLabel(emu, repo, label);
  });

  app.delete<LabelParams>('/repos/:owner/:repo/labels/:name', (req, reply) => {
    const repo = loadRepo(emu, req, req.params.owner, req.params.repo, 'write', 'issues');
    const label = repo.labels.get(req.params.name.toLowerCase());
    if (!label) throw notFound();
    repo.labels.delete(label.name.toLowerCase());
    for (const issue of repo.issues.values()) issue.labelIds = issue.labelIds.filter((id) => id !== label.id);
    emu.webhooks.emit({ event: 'label', action: 'deleted', repo, sender: requireActor(req).account, payload: { label: renderLabel(emu, repo, label) } });
    reply.code(204).send();
    return undefined;
  });
}
