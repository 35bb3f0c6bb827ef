import { compileGoRegexp, presubmitsFor, type ProwConfig } from '../../lib/config/index.ts';
import type { GitHubClient } from '../../lib/github/github-client.ts';
import { isRequestError } from '../../lib/github/friendly-errors.ts';
import type { ProwOctokit } from '../../lib/github/prow-octokit.ts';
import type { Logger } from '../../lib/log.ts';
import { listOrgRepos } from '../shared/org-repos.ts';
import { branchPolicy } from './branch-policy.ts';
import { anyManaged, orgHasManaged, orgPolicy, repoHasManaged, repoPolicy } from './merge-policy.ts';
import type { BranchProtectionConfig, OrgProtection, Policy, RepoProtection } from './protection-config.ts';
import { currentState, desiredState, diffStates, type GitHubProtection, type ProtectionState } from './protection-state.ts';

export interface ProtectOptions {
  github: GitHubClient;
  /** The loaded Prow config: its presubmits give the required contexts. */
  prow: ProwConfig;
  protection: BranchProtectionConfig;
  /** Apply the changes; without it they are only printed. */
  confirm: boolean;
  print(line: string): void;
  logger: Logger;
}

/** What a run found and did (or, dry, would do). */
export interface ProtectResult {
  branches: number;
  changes: number;
  errors: string[];
}

/** GitHub names a private fork made for a security advisory like this; such repos cannot be protected. */
const securityForkName = /^[\w-]+-ghsa-[\w-]+$/;

interface Walk {
  opts: ProtectOptions;
  result: ProtectResult;
  done: Set<string>;
}

const status = (err: unknown): number | undefined => (isRequestError(err) ? err.status : undefined);

async function currentProtection(gh: ProwOctokit, owner: string, repo: string, branch: string): Promise<ProtectionState | undefined> {
  try {
    const { data } = await gh.rest.repos.getBranchProtection({ owner, repo, branch });
    return currentState(data as GitHubProtection);
  } catch (err) {
    if (status(err) === 404) return undefined;
    throw err;
  }
}

async function writeProtection(gh: ProwOctokit, owner: string, repo: string, branch: string, desired: ProtectionState | undefined): Promise<void> {
  if (desired === undefined) {
    await gh.rest.repos.deleteBranchProtection({ owner, repo, branch });
    return;
  }
  await gh.rest.repos.updateBranchProtection({ owner, repo, branch, ...desired });
}

async function updateBranch(walk: Walk, gh: ProwOctokit, org: string, repo: string, repoLevel: Policy, repoConfig: RepoProtection | undefined, branch: { name: string; protected: boolean }): Promise<void> {
  const where = `${org}/${repo}=${branch.name}`;
  const verdict = branchPolicy(walk.opts.protection, repoLevel, repoConfig, branch.name, presubmitsFor(walk.opts.prow, `${org}/${repo}`));
  walk.result.branches++;
  if (verdict.kind === 'error') {
    walk.result.errors.push(`${where}: ${verdict.message}`);
    return;
  }
  if (verdict.kind === 'skip') {
    walk.opts.logger.debug({ branch: where, why: verdict.why }, 'branch left alone');
    return;
  }
  const { policy } = verdict;
  if (!policy.protect && !branch.protected) return;
  const current = branch.protected ? await currentProtection(gh, org, repo, branch.name) : undefined;
  const desired = policy.protect ? desiredState(policy) : undefined;
  const changes = diffStates(current, desired);
  if (changes.length === 0) return;
  const verb = desired === undefined ? 'unprotect' : current === undefined ? 'protect' : 'update';
  walk.opts.print(`${where}: ${verb}`);
  for (const line of changes) walk.opts.print(`  ${line}`);
  walk.result.changes++;
  if (walk.opts.confirm) await writeProtection(gh, org, repo, branch.name, desired);
}

/** Joins a level's include or exclude regexps as Prow does: one Go regexp matched anywhere in the name. */
const joined = (patterns: readonly string[] | undefined): RegExp | undefined =>
  patterns === undefined || patterns.length === 0 ? undefined : compileGoRegexp(patterns.join('|'));

async function updateRepo(walk: Walk, org: string, repo: string, repoLevel: Policy, repoConfig: RepoProtection | undefined): Promise<void> {
  walk.done.add(`${org}/${repo}`);
  if (repoLevel.unmanaged === true && !repoHasManaged(repoConfig)) return;
  const gh = await walk.opts.github.forRepo(org, repo);
  let info;
  try {
    info = (await gh.rest.repos.get({ owner: org, repo })).data;
  } catch (err) {
    if (status(err) === 404) throw new Error(`repository ${org}/${repo} not found (or the token cannot see it)`, { cause: err });
    throw err;
  }
  // Archived repos and security-advisory forks cannot take branch protection.
  if (info.archived || (info.private && securityForkName.test(info.name))) return;
  const include = joined(repoLevel.include);
  const exclude = joined(repoLevel.exclude);
  const branches = await gh.paginate(gh.rest.repos.listBranches, { owner: org, repo, per_page: 100 });
  for (const branch of branches) {
    const listed = repoConfig?.branches?.[branch.name] !== undefined;
    if (!listed && include !== undefined && !include.test(branch.name)) continue;
    if (!listed && exclude?.test(branch.name) === true) continue;
    try {
      await updateBranch(walk, gh, org, repo, repoLevel, repoConfig, branch);
    } catch (err) {
      walk.result.errors.push(`${org}/${repo}=${branch.name}: ${(err as Error).message}`);
    }
  }
}

async function updateOrg(walk: Walk, org: string, orgLevel: Policy, orgConfig: OrgProtection | undefined): Promise<void> {
  if (orgLevel.unmanaged === true && !orgHasManaged(orgConfig)) return;
  // An org that sets protect (itself or above) is opinionated: every repo in it. Otherwise only the repos listed.
  let repos = Object.keys(orgConfig?.repos ?? {});
  if (orgLevel.protect !== undefined) {
    try {
      repos = (await listOrgRepos(walk.opts.github, org)).filter((r) => !r.archived && !(r.private && securityForkName.test(r.name))).map((r) => r.name);
    } catch (err) {
      if (status(err) === 404) throw new Error(`org ${org} not found (or the token cannot see it)`, { cause: err });
      throw err;
    }
  }
  for (const repo of repos) {
    const { policy, repo: repoConfig } = repoPolicy(orgLevel, orgConfig, repo);
    try {
      await updateRepo(walk, org, repo, policy, repoConfig);
    } catch (err) {
      walk.result.errors.push(`${org}/${repo}: ${(err as Error).message}`);
    }
  }
}

/**
 * Holds branches to config.yaml's `branch-protection`, as Prow's branchprotector: every configured org (all
 * its repos when it sets protect, else the repos listed), then, with `protect-tested-repos`, every repo that
 * has presubmits. Only branches that exist are touched; each change is printed as the settings it changes and
 * applied when `confirm` is set. Problems are collected per branch and the rest go on.
 */
export async function protectBranches(opts: ProtectOptions): Promise<ProtectResult> {
  const walk: Walk = { opts, result: { branches: 0, changes: 0, errors: [] }, done: new Set() };
  const bp = opts.protection;
  if (bp.unmanaged === true && !anyManaged(bp)) {
    opts.logger.warn('branch-protection has unmanaged: true at the top and nothing below manages a branch; nothing to do');
    return walk.result;
  }
  for (const org of Object.keys(bp.orgs ?? {})) {
    const { policy, org: orgConfig } = orgPolicy(bp, org);
    try {
      await updateOrg(walk, org, policy, orgConfig);
    } catch (err) {
      walk.result.errors.push(`${org}: ${(err as Error).message}`);
    }
  }
  if (bp['protect-tested-repos'] === true) {
    for (const fullName of Object.keys(opts.prow.presubmits)) {
      if (walk.done.has(fullName)) continue;
      const [org = '', repo = ''] = fullName.split('/');
      const { policy: orgLevel, org: orgConfig } = orgPolicy(bp, org);
      const { policy, repo: repoConfig } = repoPolicy(orgLevel, orgConfig, repo);
      try {
        await updateRepo(walk, org, repo, policy, repoConfig);
      } catch (err) {
        walk.result.errors.push(`${fullName}: ${(err as Error).message}`);
      }
    }
  }
  return walk.result;
}
