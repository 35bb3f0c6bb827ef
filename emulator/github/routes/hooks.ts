import type { FastifyInstance } from 'fastify';
import type { EmulatorContext } from '../context.ts';
import { addHook } from '../control/repo-operations.ts';
import { loadRepo, requireActor } from '../http/access.ts';
import { forbidden, notFound, validationFailed } from '../http/github-error.ts';
import type { Hook } from '../state/types.ts';

interface HookBody {
  name?: string;
  config?: { url?: string; secret?: string; content_type?: string; insecure_ssl?: string | number };
  events?: string[];
  active?: boolean;
}

function renderHook(emu: EmulatorContext, hook: Hook, base: string): Record<string, unknown> {
  const url = emu.urls.api(`${base}/hooks/${hook.id}`);
  return {
    type: hook.repoId === null ? 'Organization' : 'Repository',
    id: hook.id,
    name: 'web',
    active: hook.active,
    events: hook.events,
    config: { url: hook.url, content_type: 'json', insecure_ssl: '0', ...(hook.secret === '' ? {} : { secret: '********' }) },
    updated_at: hook.updatedAt,
    created_at: hook.createdAt,
    url,
    test_url: `${url}/test`,
    ping_url: `${url}/pings`,
    deliveries_url: `${url}/deliveries`,
    last_response: { code: null, status: 'unused', message: null },
  };
}

function fields(body: HookBody): { url: string; secret: string; events: string[] } {
  const url = body.config?.url;
  if (url === undefined) throw validationFailed({ resource: 'Hook', field: 'config.url', code: 'missing_field' });
  return { url, secret: body.config?.secret ?? '', events: body.events ?? ['push'] };
}

/** Repo and org webhooks over REST (the control API's addWebhook does the same without auth). */
export function hookRoutes(app: FastifyInstance): void {
  const { emu } = app;
  interface RepoParams { Params: { owner: string; repo: string } }

  app.get<RepoParams>('/repos/:owner/:repo/hooks', (req) => {
    const repo = loadRepo(emu, req, req.params.owner, req.params.repo, 'admin', 'repository_hooks');
    const base = `/repos/${emu.state.fullName(repo)}`;
    return [...emu.state.hooks.values()].filter((h) => h.repoId === repo.id).map((h) => renderHook(emu, h, base));
  });

  app.post<RepoParams & { Body: HookBody }>('/repos/:owner/:repo/hooks', (req, reply) => {
    const repo = loadRepo(emu, req, req.params.owner, req.params.repo, 'admin', 'repository_hooks');
    const hook = addHook(emu, { repoId: repo.id, orgId: null, appId: null, ...fields(req.body) });
    hook.active = req.body.active ?? true;
    reply.code(201);
    return renderHook(emu, hook, `/repos/${emu.state.fullName(repo)}`);
  });

  app.delete<{ Params: { owner: string; repo: string; hook_id: string } }>('/repos/:owner/:repo/hooks/:hook_id', (req, reply) => {
    const repo = loadRepo(emu, req, req.params.owner, req.params.repo, 'admin', 'repository_hooks');
    const hook = emu.state.hooks.get(Number(req.params.hook_id));
    if (hook?.repoId !== repo.id) throw notFound();
    emu.state.hooks.delete(hook.id);
    reply.code(204).send();
    return undefined;
  });

  app.post<{ Params: { org: string }; Body: HookBody }>('/orgs/:org/hooks', (req, reply) => {
    const actor = requireActor(req);
    const found = emu.state.orgByLogin(req.params.org);
    if (!found) throw notFound();
    if (found.org.members.get(actor.account.id) !== 'admin') throw forbidden('You must be an organization owner to manage hooks.');
    const hook = addHook(emu, { repoId: null, orgId: found.org.id, appId: null, ...fields(req.body) });
    hook.active = req.body.active ?? true;
    reply.code(201);
    return renderHook(emu, hook, `/orgs/${found.account.login}`);
  });
}
