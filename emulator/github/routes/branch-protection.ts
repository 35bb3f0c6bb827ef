import type { FastifyInstance } from 'fastify';
import type { EmulatorContext } from '../context.ts';
import { loadRepo } from '../http/access.ts';
import { GitHubError, validationFailed } from '../http/github-error.ts';
import { renderUser } from '../render/account.ts';
import { renderTeam } from '../render/team.ts';
import type { Repo } from '../state/types.ts';
import { protectionOf, setProtection, type BranchProtection } from './branch-protections.ts';
import { gitName } from './pull-actions.ts';

interface BranchParams { Params: { owner: string; repo: string; branch: string } }

interface ProtectionBody {
  required_status_checks: { strict: boolean; contexts?: string[]; checks?: { context: string }[] } | null;
  enforce_admins: boolean | null;
  required_pull_request_reviews: { dismiss_stale_reviews?: boolean; require_code_owner_reviews?: boolean; required_approving_review_count?: number } | null;
  restrictions: { users: string[]; teams: string[] } | null;
  required_linear_history?: boolean;
  allow_force_pushes?: boolean | null;
  allow_deletions?: boolean;
}

/** A branch's protection in GitHub's `branch-protection` shape. */
export function renderProtection(emu: EmulatorContext, repo: Repo, branch: string, p: BranchProtection): Record<string, unknown> {
  const url = emu.urls.api(`/repos/${emu.state.fullName(repo)}/branches/${encodeURIComponent(branch)}/protection`);
  const checks = p.requiredStatusChecks;
  const reviews = p.requiredReviews;
  const restrictions = p.restrictions;
  return {
    url,
    ...(checks
      ? {
          required_status_checks: {
            url: `${url}/required_status_checks`,
            strict: checks.strict,
            contexts: checks.contexts,
            contexts_url: `${url}/required_status_checks/contexts`,
            checks: checks.contexts.map((context) => ({ context, app_id: null })),
          },
        }
      : {}),
    ...(reviews
      ? {
          required_pull_request_reviews: {
            url: `${url}/required_pull_request_reviews`,
            dismiss_stale_reviews: reviews.dismissStale,
            require_code_owner_reviews: reviews.codeOwners,
            required_approving_review_count: reviews.count,
            require_last_push_approval: false,
          },
        }
      : {}),
    ...(restrictions
      ? {
          restrictions: {
            url: `${url}/restrictions`,
            users_url: `${url}/restrictions/users`,
            teams_url: `${url}/restrictions/teams`,
            apps_url: `${url}/restrictions/apps`,
            users: restrictions.users.flatMap((login) => {
              const a = emu.state.accountByLogin(login);
              return a ? [renderUser(emu, a)] : [];
            }),
            teams: restrictions.teams.flatMap((slug) => {
              const t = emu.state.teamBySlug(repo.ownerId, slug);
              return t ? [renderTeam(emu, t)] : [];
            }),
            apps: [],
          },
        }
      : {}),
    enforce_admins: { url: `${url}/enforce_admins`, enabled: p.enforceAdmins },
    required_linear_history: { enabled: p.linearHistory },
    allow_force_pushes: { enabled: p.allowForcePushes },
    allow_deletions: { enabled: p.allowDeletions },
    block_creations: { enabled: false },
    required_conversation_resolution: { enabled: false },
    lock_branch: { enabled: false },
    allow_fork_syncing: { enabled: false },
    required_signatures: { url: `${url}/required_signatures`, enabled: false },
  };
}

/** Branch protection, read and written by admins (prow's branchprotector uses it); merges honour it. */
export function branchProtectionRoutes(app: FastifyInstance): void {
  const { emu } = app;

  const load = async (req: Parameters<typeof loadRepo>[1], params: BranchParams['Params']): Promise<Repo> => {
    const repo = loadRepo(emu, req, params.owner, params.repo, 'admin', 'administration');
    const [owner, name] = gitName(emu, repo);
    if ((await emu.git.resolve(owner, name, `refs/heads/${params.branch}`)) === undefined) throw new GitHubError(404, 'Branch not found');
    return repo;
  };

  app.get<BranchParams>('/repos/:owner/:repo/branches/:branch/protection', async (req) => {
    const repo = await load(req, req.params);
    const p = protectionOf(emu.state, repo, req.params.branch);
    if (!p) throw new GitHubError(404, 'Branch not protected');
    return renderProtection(emu, repo, req.params.branch, p);
  });

  app.put<BranchParams & { Body: ProtectionBody }>('/repos/:owner/:repo/branches/:branch/protection', async (req) => {
    const repo = await load(req, req.params);
    const b = req.body;
    const checks = b.required_status_checks;
    const reviews = b.required_pull_request_reviews;
    const count = reviews?.required_approving_review_count ?? 1;
    if (count < 0 || count > 6) throw validationFailed({ resource: 'ProtectedBranch', field: 'required_approving_review_count', code: 'invalid', value: count });
    const p: BranchProtection = {
      requiredStatusChecks: checks ? { strict: checks.strict, contexts: checks.contexts ?? checks.checks?.map((c) => c.context) ?? [] } : null,
      enforceAdmins: b.enforce_admins ?? false,
      requiredReviews: reviews ? { count, dismissStale: reviews.dismiss_stale_reviews ?? false, codeOwners: reviews.require_code_owner_reviews ?? false } : null,
      restrictions: b.restrictions ? { users: b.restrictions.users, teams: b.restrictions.teams } : null,
      linearHistory: b.required_linear_history ?? false,
      allowForcePushes: b.allow_force_pushes ?? false,
      allowDeletions: b.allow_deletions ?? false,
    };
    setProtection(emu.state, repo, req.params.branch, p);
    return renderProtection(emu, repo, req.params.branch, p);
  });

  app.delete<BranchParams>('/repos/:owner/:repo/branches/:branch/protection', async (req, reply) => {
    const repo = await load(req, req.params);
    if (!protectionOf(emu.state, repo, req.params.branch)) throw new GitHubError(404, 'Branch not protected');
    setProtection(emu.state, repo, req.params.branch, undefined);
    reply.code(204).send();
    return undefined;
  });
}
