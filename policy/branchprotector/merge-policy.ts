import type { BranchProtectionConfig, OrgProtection, Policy, RepoProtection } from './protection-config.ts';

const policyKeys = [
  'unmanaged',
  'protect',
  'required_status_checks',
  'enforce_admins',
  'restrictions',
  'required_pull_request_reviews',
  'required_linear_history',
  'allow_force_pushes',
  'allow_deletions',
  'require_manually_triggered_jobs',
  'exclude',
  'include',
] as const satisfies readonly (keyof Policy)[];

/** A level's own settings, without its children (orgs, repos, branches) or the top level's switches. */
export function policyOf(level: Policy): Policy {
  const out: Policy = {};
  for (const key of policyKeys) if (level[key] !== undefined) Object.assign(out, { [key]: level[key] });
  return out;
}

function union(parent: string[] | undefined, child: string[] | undefined): string[] | undefined {
  if (parent === undefined) return child;
  if (child === undefined) return parent;
  return [...new Set([...parent, ...child])].sort();
}

/** Merges two optional objects: either alone as it is, both field by field. */
function both<T extends object>(parent: T | undefined, child: T | undefined, merge: (p: T, c: T) => T): T | undefined {
  if (parent === undefined) return child;
  if (child === undefined) return parent;
  return merge(parent, child);
}

interface People {
  users?: string[] | undefined;
  teams?: string[] | undefined;
}
const mergePeople = (p: People, c: People): People => ({ users: union(p.users, c.users), teams: union(p.teams, c.teams) });

/**
 * A child level's settings over its parent's, as Prow's Policy.Apply: a switch the child sets wins, lists
 * (contexts, users, teams, apps, include, exclude) are the union of both.
 */
export function applyPolicy(parent: Policy, child: Policy): Policy {
  const merged: Policy = {
    unmanaged: child.unmanaged ?? parent.unmanaged,
    protect: child.protect ?? parent.protect,
    required_status_checks: both(parent.required_status_checks, child.required_status_checks, (p, c) => ({
      contexts: union(p.contexts, c.contexts),
      strict: c.strict ?? p.strict,
    })),
    enforce_admins: child.enforce_admins ?? parent.enforce_admins,
    restrictions: both(parent.restrictions, child.restrictions, (p, c) => ({ apps: union(p.apps, c.apps), ...mergePeople(p, c) })),
    required_pull_request_reviews: both(parent.required_pull_request_reviews, child.required_pull_request_reviews, (p, c) => ({
      dismiss_stale_reviews: c.dismiss_stale_reviews ?? p.dismiss_stale_reviews,
      require_code_owner_reviews: c.require_code_owner_reviews ?? p.require_code_owner_reviews,
      required_approving_review_count: c.required_approving_review_count ?? p.required_approving_review_count,
      dismissal_restrictions: both(p.dismissal_restrictions, c.dismissal_restrictions, mergePeople),
      bypass_pull_request_allowances: both(p.bypass_pull_request_allowances, c.bypass_pull_request_allowances, mergePeople),
    })),
    required_linear_history: child.required_linear_history ?? parent.required_linear_history,
    allow_force_pushes: child.allow_force_pushes ?? parent.allow_force_pushes,
    allow_deletions: child.allow_deletions ?? parent.allow_deletions,
    require_manually_triggered_jobs: child.require_manually_triggered_jobs ?? parent.require_manually_triggered_jobs,
    exclude: union(parent.exclude, child.exclude),
    include: union(parent.include, child.include),
  };
  return policyOf(merged);
}

/** An org's settings merged over the top level's (Prow's GetOrg); an org not configured gets the top level's. */
export function orgPolicy(bp: BranchProtectionConfig, org: string): { policy: Policy; org: OrgProtection | undefined } {
  const own = bp.orgs?.[org];
  return { policy: applyPolicy(policyOf(bp), own ? policyOf(own) : {}), org: own };
}

/** A repo's settings merged over its org's (Prow's GetRepo). */
export function repoPolicy(orgLevel: Policy, org: OrgProtection | undefined, repo: string): { policy: Policy; repo: RepoProtection | undefined } {
  const own = org?.repos?.[repo];
  return { policy: applyPolicy(orgLevel, own ? policyOf(own) : {}), repo: own };
}

const managed = (level: Policy): boolean => level.unmanaged === false;

/** True when a branch of the repo sets `unmanaged: false`, so an unmanaged repo still has work to do. */
export function repoHasManaged(repo: RepoProtection | undefined): boolean {
  return Object.values(repo?.branches ?? {}).some(managed);
}

/** True when a repo or branch of the org sets `unmanaged: false`. */
export function orgHasManaged(org: OrgProtection | undefined): boolean {
  return Object.values(org?.repos ?? {}).some((r) => managed(r) || repoHasManaged(r));
}

/** True when any org, repo or branch sets `unmanaged: false`. */
export function anyManaged(bp: BranchProtectionConfig): boolean {
  return Object.values(bp.orgs ?? {}).some((o) => managed(o) || orgHasManaged(o));
}
