import type { EmulatorContext } from '../context.ts';
import type { GitComparison, GitIdentity } from '../git/types.ts';
import { validationFailed } from '../http/github-error.ts';
import type { PullGitFacts } from '../render/pull.ts';
import { combinedState, latestStatuses } from '../render/status.ts';
import { atLeast, userPermission } from '../state/permissions.ts';
import { isoNow } from '../state/state.ts';
import type { Account, PullRequest, Repo } from '../state/types.ts';
import { emitPullEvent, emitReviewEvent } from '../webhooks/pull-events.ts';
import { protectionOf } from './branch-protections.ts';
import { pullRequestRefused } from './pull-errors.ts';

/** The owner login and repo name the GitStore knows a repo by. */
export function gitName(emu: EmulatorContext, repo: Repo): [string, string] {
  return [emu.state.account(repo.ownerId).login, repo.name];
}

/** The git identity of an account, as the control API and merges write it. */
export function gitIdentity(account: Account): GitIdentity {
  return { name: account.name ?? account.login, email: account.email ?? `${account.login}@users.noreply.emulator` };
}

/** Whether the PR is open (its issue half holds the state). */
export function isOpen(repo: Repo, pull: PullRequest): boolean {
  return repo.issues.get(pull.number)?.state === 'open';
}

/**
 * The PR's diff as GitHub shows it: an open PR against the base branch's current tip (so `base.sha` follows
 * the branch), a closed one against the base it had when it last changed.
 */
export async function pullComparison(emu: EmulatorContext, repo: Repo, pull: PullRequest): Promise<GitComparison> {
  const [owner, name] = gitName(emu, repo);
  if (isOpen(repo, pull)) {
    const tip = await emu.git.resolve(owner, name, `refs/heads/${pull.base.ref}`);
    if (tip !== undefined) pull.base.sha = tip;
  }
  return emu.git.compare(owner, name, pull.base.sha, pull.head.sha);
}

/** Whether checks on the head leave the PR `unstable`: a failing or pending status or check run. */
function unstable(emu: EmulatorContext, repo: Repo, sha: string): boolean {
  const latest = latestStatuses(emu, repo, sha);
  if (latest.length > 0 && combinedState(latest) !== 'success') return true;
  return [...emu.state.checkRuns.values()].some(
    (r) => r.repoId === repo.id && r.headSha === sha && (r.status !== 'completed' || !['success', 'neutral', 'skipped'].includes(r.conclusion ?? '')),
  );
}

/** Each writer's latest approving or change-requesting review state, by user id: what protection counts. */
function latestReviewStates(emu: EmulatorContext, repo: Repo, pull: PullRequest): Map<number, string> {
  const latest = new Map<number, string>();
  for (const r of [...emu.state.reviews.values()].sort((a, b) => a.id - b.id)) {
    if (r.repoId !== repo.id || r.pullNumber !== pull.number || r.state === 'PENDING' || r.state === 'COMMENTED') continue;
    if (atLeast(userPermission(emu.state, r.userId, { ...repo, private: true }), 'write')) latest.set(r.userId, r.state);
  }
  return latest;
}

function plural(names: string[]): string {
  const quoted = names.map((n) => `"${n}"`);
  return quoted.length === 1 ? `check ${quoted[0] ?? ''} is` : `checks ${quoted.slice(0, -1).join(', ')} and ${quoted.at(-1) ?? ''} are`;
}

/**
 * Why the base branch's protection forbids merging the PR now, in GitHub's 405 words (`behind` when only an
 * out-of-date head stands in the way); undefined when nothing does.
 */
export async function protectionBlocker(emu: EmulatorContext, repo: Repo, pull: PullRequest): Promise<{ message: string; behind: boolean } | undefined> {
  const p = protectionOf(emu.state, repo, pull.base.ref);
  if (!p) return undefined;
  if (p.requiredStatusChecks) {
    const statuses = latestStatuses(emu, repo, pull.head.sha);
    const runs = [...emu.state.checkRuns.values()].filter((r) => r.repoId === repo.id && r.headSha === pull.head.sha).sort((a, b) => b.id - a.id);
    const passing = (context: string): boolean | undefined => {
      const status = statuses.find((st) => st.context === context);
      const run = runs.find((r) => r.name === context);
      if (!status && !run) return undefined;
      return status?.state === 'success' || ['success', 'neutral', 'skipped'].includes(run?.conclusion ?? '');
    };
    const missing = p.requiredStatusChecks.contexts.filter((c) => passing(c) === undefined);
    if (missing.length > 0) return { message: `Required status ${plural(missing)} expected.`, behind: false };
    const failing = p.requiredStatusChecks.contexts.filter((c) => passing(c) === false);
    if (failing.length > 0) return { message: `Required status ${plural(failing)} failing.`, behind: false };
  }
  if (p.requiredReviews) {
    const states = [...latestReviewStates(emu, repo, pull).values()];
    if (states.includes('CHANGES_REQUESTED')) return { message: 'Changes requested by a reviewer with write access.', behind: false };
    const n = p.requiredReviews.count;
    if (states.filter((st) => st === 'APPROVED').length < n) {
      return { message: `At least ${n} approving review${n === 1 ? ' is' : 's are'} required by reviewers with write access.`, behind: false };
    }
  }
  const [owner, name] = gitName(emu, repo);
  if (p.requiredStatusChecks?.strict && !(await emu.git.isAncestor(owner, name, pull.base.sha, pull.head.sha))) {
    return { message: 'Head branch is not up to date with the base branch.', behind: true };
  }
  return undefined;
}

/** What git says about a PR: its size, and for an open PR whether it merges cleanly (`mergeable_state`). */
export async function pullFacts(emu: EmulatorContext, repo: Repo, pull: PullRequest): Promise<PullGitFacts> {
  const cmp = await pullComparison(emu, repo, pull);
  const size = {
    commits: cmp.commits.length,
    additions: cmp.files.reduce((n, f) => n + f.additions, 0),
    deletions: cmp.files.reduce((n, f) => n + f.deletions, 0),
    changedFiles: cmp.files.length,
  };
  if (!isOpen(repo, pull)) return { mergeable: null, mergeableState: 'unknown', ...size };
  const [owner, name] = gitName(emu, repo);
  const { mergeable } = await emu.git.mergeability(owner, name, pull.base.sha, pull.head.sha);
  const blocker = mergeable && !pull.draft ? await protectionBlocker(emu, repo, pull) : undefined;
  const mergeableState = !mergeable
    ? 'dirty'
    : pull.draft
      ? 'draft'
      : blocker
        ? blocker.behind
          ? 'behind'
          : 'blocked'
        : unstable(emu, repo, pull.head.sha)
          ? 'unstable'
          : 'clean';
  return { mergeable, mergeableState, ...size };
}

/** What a new PR is made of. */
export interface NewPull {
  /** Branch name, or `owner:branch`. */
  head: string;
  base: string;
  title: string;
  body: string | null;
  draft: boolean;
  maintainerCanModify: boolean;
}

/**
 * Opens a PR as POST /pulls does: both branches must exist and differ, no open PR may have the same head
 * and base. It takes the repo's next issue number, gets its issue half and `refs/pull/N/head`, and emits
 * `pull_request.opened`.
 */
export async function createPull(emu: EmulatorContext, repo: Repo, author: Account, input: NewPull): Promise<PullRequest> {
  const [owner, name] = gitName(emu, repo);
  const colon = input.head.indexOf(':');
  const headOwner = colon === -1 ? owner : input.head.slice(0, colon);
  const headRef = colon === -1 ? input.head : input.head.slice(colon + 1);
  if (input.title === '') throw validationFailed({ resource: 'PullRequest', field: 'title', code: 'missing_field' });
  const baseSha = await emu.git.resolve(owner, name, `refs/heads/${input.base}`);
  if (baseSha === undefined) throw validationFailed({ resource: 'PullRequest', field: 'base', code: 'invalid' });
  const headSha = headOwner.toLowerCase() === owner.toLowerCase() ? await emu.git.resolve(owner, name, `refs/heads/${headRef}`) : undefined;
  if (headSha === undefined) throw validationFailed({ resource: 'PullRequest', field: 'head', code: 'invalid' });
  const existing = [...repo.pulls.values()].find((p) => p.head.ref === headRef && p.base.ref === input.base && isOpen(repo, p));
  if (existing) throw pullRequestRefused(`A pull request already exists for ${owner}:${headRef}.`);
  if (headRef === input.base || (await emu.git.isAncestor(owner, name, headSha, baseSha))) throw pullRequestRefused(`No commits between ${input.base} and ${headRef}`);

  const issue = emu.state.addIssue(repo, author.id, { title: input.title, body: input.body, isPull: true });
  const pull: PullRequest = {
    id: emu.state.nextId(),
    nodeId: issue.nodeId,
    repoId: repo.id,
    number: issue.number,
    head: { ref: headRef, sha: headSha, repoId: repo.id },
    base: { ref: input.base, sha: baseSha, repoId: repo.id },
    draft: input.draft,
    merged: false,
    mergedAt: null,
    mergedById: null,
    mergeCommitSha: null,
    maintainerCanModify: input.maintainerCanModify,
    requestedReviewerIds: [],
    requestedTeamIds: [],
  };
  repo.pulls.set(pull.number, pull);
  await emu.git.updateRef(owner, name, `refs/pull/${pull.number}/head`, headSha, true);
  emitPullEvent(emu, repo, pull, 'opened', author, await pullFacts(emu, repo, pull));
  return pull;
}

/**
 * Moves an open PR's head to `after` (its branch moved): `refs/pull/N/head` follows, `synchronize` is emitted,
 * and approvals are dismissed when the base branch's protection asks for it.
 */
export async function synchronizePull(emu: EmulatorContext, repo: Repo, pull: PullRequest, after: string, sender: Account): Promise<void> {
  const before = pull.head.sha;
  const [owner, name] = gitName(emu, repo);
  pull.head.sha = after;
  await emu.git.updateRef(owner, name, `refs/pull/${pull.number}/head`, after, true);
  const issue = repo.issues.get(pull.number);
  if (issue) issue.updatedAt = isoNow();
  emitPullEvent(emu, repo, pull, 'synchronize', sender, await pullFacts(emu, repo, pull), { before, after });
  // With "dismiss stale reviews" on the base branch, new commits void the approvals given so far.
  if (protectionOf(emu.state, repo, pull.base.ref)?.requiredReviews?.dismissStale) {
    for (const r of emu.state.reviews.values()) {
      if (r.repoId !== repo.id || r.pullNumber !== pull.number || r.state !== 'APPROVED') continue;
      r.state = 'DISMISSED';
      emitReviewEvent(emu, repo, pull, r, 'dismissed', sender);
    }
  }
}

/** Records a PR as merged by `sender` with `mergeSha` and emits `pull_request.closed` with `merged: true`. */
export async function closeAsMerged(emu: EmulatorContext, repo: Repo, pull: PullRequest, sender: Account, mergeSha: string): Promise<void> {
  const issue = repo.issues.get(pull.number);
  if (!issue) return;
  const now = isoNow();
  pull.merged = true;
  pull.mergedAt = now;
  pull.mergedById = sender.id;
  pull.mergeCommitSha = mergeSha;
  issue.state = 'closed';
  issue.closedAt = now;
  issue.closedById = sender.id;
  issue.updatedAt = now;
  emitPullEvent(emu, repo, pull, 'closed', sender, await pullFacts(emu, repo, pull));
}
