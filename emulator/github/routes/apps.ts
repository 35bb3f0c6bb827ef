import type { FastifyInstance, FastifyRequest } from 'fastify';
import { issueInstallationToken } from '../control/app-operations.ts';
import { requireActor } from '../http/access.ts';
import { GitHubError, notFound, validationFailed } from '../http/github-error.ts';
import { paginate } from '../http/pagination.ts';
import { renderApp, renderInstallation } from '../render/app.ts';
import { renderRepo } from '../render/repo.ts';
import type { App, Installation } from '../state/types.ts';

/** The App of a JWT-authenticated request, or GitHub's 401 for anything else. */
function requireJwt(req: FastifyRequest): App {
  if (!req.jwtApp) {
    throw new GitHubError(401, 'A JSON web token could not be decoded', { documentationUrl: 'https://docs.github.com/rest' });
  }
  return req.jwtApp;
}

const levels = ['read', 'write', 'admin'];

/** GitHub App endpoints: the App itself (JWT), its installations, and installation tokens. */
export function appRoutes(app: FastifyInstance): void {
  const { emu } = app;
  const { state } = emu;
  const installationsOf = (a: App): Installation[] => [...state.installations.values()].filter((i) => i.appId === a.id);

  app.get('/app', (req) => renderApp(emu, requireJwt(req)));

  app.get('/app/installations', (req, reply) => {
    const a = requireJwt(req);
    return paginate(req, reply, installationsOf(a), emu.urls.base).map((i) => renderInstallation(emu, i));
  });

  app.get<{ Params: { installation_id: string } }>('/app/installations/:installation_id', (req) => {
    const a = requireJwt(req);
    const inst = state.installations.get(Number(req.params.installation_id));
    if (inst?.appId !== a.id) throw notFound();
    return renderInstallation(emu, inst);
  });

  app.post<{ Params: { installation_id: string }; Body: { permissions?: Record<string, string>; repositories?: string[] } | undefined }>(
    '/app/installations/:installation_id/access_tokens',
    (req, reply) => {
      const a = requireJwt(req);
      const inst = state.installations.get(Number(req.params.installation_id));
      if (inst?.appId !== a.id) throw notFound();
      const asked = req.body?.permissions;
      if (asked) {
        for (const [name, level] of Object.entries(asked)) {
          if (levels.indexOf(level) > levels.indexOf(inst.permissions[name] ?? '')) {
            throw validationFailed({ resource: 'Installation', field: 'permissions', code: 'invalid', message: `The permissions requested are not granted to this installation: ${name}` });
          }
        }
      }
      const token = issueInstallationToken(emu, inst, asked);
      reply.code(201);
      return { token: token.token, expires_at: token.expiresAt, permissions: token.permissions, repository_selection: 'all' };
    },
  );

  const installationFor = (a: App, accountLogin: string): Installation => {
    const account = state.accountByLogin(accountLogin);
    const inst = account ? installationsOf(a).find((i) => i.accountId === account.id) : undefined;
    if (!inst) throw notFound();
    return inst;
  };

  app.get<{ Params: { owner: string; repo: string } }>('/repos/:owner/:repo/installation', (req) => {
    const a = requireJwt(req);
    if (!state.repoByName(req.params.owner, req.params.repo)) throw notFound();
    return renderInstallation(emu, installationFor(a, req.params.owner));
  });

  app.get<{ Params: { org: string } }>('/orgs/:org/installation', (req) => {
    const a = requireJwt(req);
    if (!state.orgByLogin(req.params.org)) throw notFound();
    return renderInstallation(emu, installationFor(a, req.params.org));
  });

  app.get<{ Params: { username: string } }>('/users/:username/installation', (req) => renderInstallation(emu, installationFor(requireJwt(req), req.params.username)));

  app.get('/installation/repositories', (req, reply) => {
    const actor = requireActor(req);
    const inst = actor.token.installationId === undefined ? undefined : state.installations.get(actor.token.installationId);
    if (!inst) throw new GitHubError(403, 'This endpoint requires an installation token.');
    const repos = [...state.repos.values()].filter((r) => r.ownerId === inst.accountId);
    const page = paginate(req, reply, repos, emu.urls.base);
    return { total_count: repos.length, repository_selection: 'all', repositories: page.map((r) => renderRepo(emu, r)) };
  });
}
