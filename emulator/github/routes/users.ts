import type { FastifyInstance } from 'fastify';
import { requireActor } from '../http/access.ts';
import { GitHubError, notFound } from '../http/github-error.ts';
import { renderProfile } from '../render/account.ts';

/** GET /user and GET /users/{username}. */
export function userRoutes(app: FastifyInstance): void {
  const { emu } = app;
  app.get('/user', (req) => {
    const actor = requireActor(req);
    if (actor.token.kind === 'installation') throw new GitHubError(403, 'Resource not accessible by integration');
    const owned = [...emu.state.repos.values()].filter((r) => r.ownerId === actor.account.id);
    return {
      ...renderProfile(emu, actor.account),
      private_gists: 0,
      total_private_repos: owned.filter((r) => r.private).length,
      owned_private_repos: owned.filter((r) => r.private).length,
      disk_usage: 0,
      collaborators: 0,
      two_factor_authentication: true,
      plan: { name: 'free', space: 976562499, collaborators: 0, private_repos: 10000 },
    };
  });
  app.get<{ Params: { username: string } }>('/users/:username', (req) => {
    const account = emu.state.accountByLogin(req.params.username);
    if (!account) throw notFound();
    return renderProfile(emu, account);
  });
}
