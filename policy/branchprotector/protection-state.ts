import type { Policy } from './protection-config.ts';

interface People {
  users: string[];
  teams: string[];
}

/**
 * A branch's protection in the one shape both sides are compared in: what GitHub's PUT takes, with lists
 * sorted and people as logins and team slugs. `null` for a section means it is off.
 */
export interface ProtectionState {
  required_status_checks: { strict: boolean; contexts: string[] } | null;
  enforce_admins: boolean;
  required_pull_request_reviews: {
    dismiss_stale_reviews: boolean;
    require_code_owner_reviews: boolean;
    required_approving_review_count: number;
    dismissal_restrictions?: People;
    bypass_pull_request_allowances?: People;
  } | null;
  restrictions: People | null;
  required_linear_history: boolean;
  allow_force_pushes: boolean;
  allow_deletions: boolean;
}

const sorted = (list: readonly string[] | undefined): string[] => [...new Set(list ?? [])].sort();
const people = (p: { users?: string[] | undefined; teams?: string[] | undefined }): People => ({ users: sorted(p.users), teams: sorted(p.teams) });

/**
 * What GitHub should hold for a protected branch, as Prow's makeRequest builds it. Reviews with no (or zero)
 * required approvals are left off, as Prow does, since GitHub would require one anyway.
 */
export function desiredState(policy: Policy): ProtectionState {
  const checks = policy.required_status_checks;
  const reviews = policy.required_pull_request_reviews;
  const count = reviews?.required_approving_review_count ?? 0;
  return {
    required_status_checks: checks ? { strict: checks.strict ?? false, contexts: sorted(checks.contexts) } : null,
    enforce_admins: policy.enforce_admins ?? false,
    required_pull_request_reviews:
      reviews && count > 0
        ? {
            dismiss_stale_reviews: reviews.dismiss_stale_reviews ?? false,
            require_code_owner_reviews: reviews.require_code_owner_reviews ?? false,
            required_approving_review_count: count,
            ...(reviews.dismissal_restrictions ? { dismissal_restrictions: people(reviews.dismissal_restrictions) } : {}),
            ...(reviews.bypass_pull_request_allowances ? { bypass_pull_request_allowances: people(reviews.bypass_pull_request_allowances) } : {}),
          }
        : null,
    restrictions: policy.restrictions ? people(policy.restrictions) : null,
    required_linear_history: policy.required_linear_history ?? false,
    allow_force_pushes: policy.allow_force_pushes ?? false,
    allow_deletions: policy.allow_deletions ?? false,
  };
}

interface GitHubPeople {
  users?: { login: string }[] | undefined;
  teams?: { slug: string }[] | undefined;
}

/** The parts of GitHub's `branch-protection` response the comparison reads. */
export interface GitHubProtection {
  required_status_checks?: { strict?: boolean | undefined; contexts: string[] } | undefined;
  enforce_admins?: { enabled: boolean } | undefined;
  required_pull_request_reviews?:
    | {
        dismiss_stale_reviews?: boolean | undefined;
        require_code_owner_reviews?: boolean | undefined;
        required_approving_review_count?: number | undefined;
        dismissal_restrictions?: GitHubPeople | undefined;
        bypass_pull_request_allowances?: GitHubPeople | undefined;
      }
    | undefined;
  restrictions?: GitHubPeople | null | undefined;
  required_linear_history?: { enabled?: boolean | undefined } | undefined;
  allow_force_pushes?: { enabled?: boolean | undefined } | undefined;
  allow_deletions?: { enabled?: boolean | undefined } | undefined;
}

const githubPeople = (p: GitHubPeople): People => ({ users: sorted(p.users?.map((u) => u.login)), teams: sorted(p.teams?.map((t) => t.slug)) });

/** GitHub's answer for a protected branch, in the comparison's shape. */
export function currentState(gh: GitHubProtection): ProtectionState {
  const checks = gh.required_status_checks;
  const reviews = gh.required_pull_request_reviews;
  return {
    required_status_checks: checks ? { strict: checks.strict ?? false, contexts: sorted(checks.contexts) } : null,
    enforce_admins: gh.enforce_admins?.enabled ?? false,
    required_pull_request_reviews: reviews
      ? {
          dismiss_stale_reviews: reviews.dismiss_stale_reviews ?? false,
          require_code_owner_reviews: reviews.require_code_owner_reviews ?? false,
          required_approving_review_count: reviews.required_approving_review_count ?? 0,
          ...(reviews.dismissal_restrictions ? { dismissal_restrictions: githubPeople(reviews.dismissal_restrictions) } : {}),
          ...(reviews.bypass_pull_request_allowances ? { bypass_pull_request_allowances: githubPeople(reviews.bypass_pull_request_allowances) } : {}),
        }
      : null,
    restrictions: gh.restrictions ? githubPeople(gh.restrictions) : null,
    required_linear_history: gh.required_linear_history?.enabled ?? false,
    allow_force_pushes: gh.allow_force_pushes?.enabled ?? false,
    allow_deletions: gh.allow_deletions?.enabled ?? false,
  };
}

function flatten(value: unknown, path: string, out: Map<string, string>): void {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) flatten(v, path === '' ? k : `${path}.${k}`, out);
  } else {
    out.set(path, JSON.stringify(value));
  }
}

/**
 * The settings that differ, one `path: old -> new` line each; empty when GitHub already holds the policy.
 * `undefined` stands for an unprotected branch.
 */
export function diffStates(current: ProtectionState | undefined, desired: ProtectionState | undefined): string[] {
  if (current === undefined && desired === undefined) return [];
  if (current === undefined || desired === undefined) {
    const side = current ?? desired;
    const lines: string[] = [];
    const flat = new Map<string, string>();
    flatten(side, '', flat);
    for (const [path, value] of flat) lines.push(current === undefined ? `${path}: ${value}` : `${path}: ${value} -> (removed)`);
    return lines;
  }
  const before = new Map<string, string>();
  const after = new Map<string, string>();
  flatten(current, '', before);
  flatten(desired, '', after);
  const lines: string[] = [];
  for (const path of new Set([...before.keys(), ...after.keys()])) {
    const was = before.get(path) ?? '(unset)';
    const now = after.get(path) ?? '(unset)';
    if (was !== now) lines.push(`${path}: ${was} -> ${now}`);
  }
  return lines;
}
