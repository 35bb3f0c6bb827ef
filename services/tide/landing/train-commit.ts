import type { Logger } from '../../../lib/log.ts';
import { CloneCache, type GitRemote, type LockedClone } from './clone-cache.ts';
import { renderMergeTemplate, trainCommitMessage } from './commit-message.ts';
import { GitFailed, type GitOptions, type GitOutput } from './git.ts';
import type { GitIdentity, MergeCommitTemplate, TrainMember } from './types.ts';

/** What one train is made of. */
export interface TrainBuildRequest {
  org: string;
  repo: string;
  /** The branch the train lands on. */
  branch: string;
  /** Names the ref the train is pushed to; a rebuild under the same id replaces it. */
  trainId: string;
  /** Where the train starts: the base SHA, or the previous train's commit (trains are cumulative). */
  parentSha: string;
  /** The PRs in landing order, each applied by its own method. */
  members: readonly TrainMember[];
  /** The repo's `tide.merge_commit_template`, for merge and squash commits. */
  template?: MergeCommitTemplate | undefined;
  /**
   * What a PR that cannot be applied does: `stop` (the default) answers it and pushes nothing, `skip` leaves
   * it out and builds the rest, as Tide's batch picker does.
   */
  onConflict?: 'stop' | 'skip' | undefined;
}

/** Why a PR is not in a train: its changes conflict with what is before it, or its pinned head cannot be fetched. */
export interface TrainRejection {
  pull: number;
  reason: 'conflict' | 'head-missing';
  /** The conflicting paths (empty for `head-missing`). */
  files: string[];
}

/** How building a train went. */
export type TrainBuildResult =
  | {
      kind: 'built';
      /** The train's commit: what the CI tests and what the base fast-forwards to. */
      sha: string;
      /** `refs/heads/tide/<branch>/<trainId>`, where the commit was pushed. */
      ref: string;
      /** The PRs in the commit, in order. */
      pulls: number[];
      /** PRs left out (only with `onConflict: 'skip'`). */
      skipped: TrainRejection[];
    }
  | ({ kind: 'rejected'; /** The PRs applied before the rejected one. */ applied: number[] } & TrainRejection);

/** Builds trains' commits. */
export interface TrainBuilder {
  /** Builds the train from its parent with real git and pushes it; a PR that does not apply is an answer, not a throw. */
  build(request: TrainBuildRequest): Promise<TrainBuildResult>;
}

export interface TrainBuilderOptions extends GitRemote {
  /** Holds one clone per repo, kept between trains. */
  workDir: string;
  /** Who commits the merges, squashes and replays; Tide's bot. */
  committer?: GitIdentity | undefined;
  log?: Logger | undefined;
}

/** Who commits a train's commits when no committer is configured. */
export const defaultTrainCommitter: GitIdentity = { name: 'prow-tide', email: 'tide@prow.invalid' };

/** The ref a train's commit is pushed to: a branch the CI can fetch. */
export function trainRef(branch: string, trainId: string): string {
  return `refs/heads/tide/${branch}/${trainId}`;
}

type Applied = { ok: true } | { ok: false; files: string[] };

const identityEnv = (prefix: 'AUTHOR' | 'COMMITTER', who: GitIdentity): Record<string, string> => ({
  [`GIT_${prefix}_NAME`]: who.name,
  [`GIT_${prefix}_EMAIL`]: who.email,
});

/** Builds trains in cached clones under `workDir`, pushing each to `trainRef(branch, trainId)`. */
export function createTrainBuilder(options: TrainBuilderOptions): TrainBuilder {
  const cache = new CloneCache(options.workDir, options);
  const committer = options.committer ?? defaultTrainCommitter;
  // Every command gets the bot's identity: git wants one even to start a squash. A replayed commit keeps its
  // own author regardless, and a squash names its author explicitly.
  const asCommitter = { ...identityEnv('AUTHOR', committer), ...identityEnv('COMMITTER', committer) };
  const run = (clone: LockedClone, args: readonly string[], opts: GitOptions = {}): Promise<GitOutput> =>
    clone.run(args, { ...opts, env: { ...asCommitter, ...opts.env } });

  const unmergedAfterFailure = async (clone: LockedClone, args: readonly string[], code: number, stderr: string): Promise<string[]> => {
    const out = (await run(clone, ['diff', '--name-only', '--diff-filter=U'])).stdout.split('\n').filter((f) => f !== '');
    if (out.length === 0) throw new GitFailed(args, code, stderr);
    return out;
  };

  const mergeCommit = async (clone: LockedClone, member: TrainMember, template: MergeCommitTemplate | undefined): Promise<Applied> => {
    const message = trainCommitMessage('merge', member.pull, renderMergeTemplate(template, member.pull), []);
    const args = ['merge', '--no-ff', '--no-stat', '--no-edit', '-m', message, member.pull.headSha];
    const r = await run(clone, args, { okCodes: [1] });
    if (r.code === 0) return { ok: true };
    const files = await unmergedAfterFailure(clone, ['merge', member.pull.headSha], r.code, r.stderr || r.stdout);
    await run(clone, ['merge', '--abort']);
    return { ok: false, files };
  };

  const squashCommit = async (clone: LockedClone, member: TrainMember, template: MergeCommitTemplate | undefined): Promise<Applied> => {
    const { headSha } = member.pull;
    const log = await run(clone, ['log', '--reverse', '--format=%B%x00', `HEAD..${headSha}`]);
    const messages = log.stdout.split('\0').map((m) => m.trim()).filter((m) => m !== '');
    const r = await run(clone, ['merge', '--squash', '--no-stat', headSha], { okCodes: [1] });
    if (r.code !== 0) {
      const files = await unmergedAfterFailure(clone, ['merge', '--squash', headSha], r.code, r.stderr || r.stdout);
      await run(clone, ['reset', '-q', '--hard', 'HEAD']);
      return { ok: false, files };
    }
    // GitHub credits a squash to the PR's author; the head commit's author is the identity git has for them.
    const [name = committer.name, email = committer.email] = (await run(clone, ['log', '-1', '--format=%an%x00%ae', headSha])).stdout.trim().split('\0');
    const message = trainCommitMessage('squash', member.pull, renderMergeTemplate(template, member.pull), messages);
    await run(clone, ['commit', '-q', '--allow-empty', '--no-verify', '-m', message], { env: identityEnv('AUTHOR', { name, email }) });
    return { ok: true };
  };

  const rebaseCommits = async (clone: LockedClone, member: TrainMember): Promise<Applied> => {
    const { headSha } = member.pull;
    // The PR's commits the train lacks, oldest first; merges are dropped, as a rebase merge drops them.
    const list = await run(clone, ['rev-list', '--reverse', '--topo-order', '--no-merges', `HEAD..${headSha}`]);
    const commits = list.stdout.split('\n').filter((c) => c !== '');
    if (commits.length === 0) return { ok: true };
    const args = ['cherry-pick', '--allow-empty', '--keep-redundant-commits', ...commits];
    const r = await run(clone, args, { okCodes: [1] });
    if (r.code === 0) return { ok: true };
    const files = await unmergedAfterFailure(clone, ['cherry-pick', `HEAD..${headSha}`], r.code, r.stderr || r.stdout);
    await run(clone, ['cherry-pick', '--abort']);
    return { ok: false, files };
  };

  const hasCommit = async (clone: LockedClone, sha: string): Promise<boolean> =>
    (await run(clone, ['cat-file', '-e', `${sha}^{commit}`], { okCodes: [1, 128] })).code === 0;

  /** Fetches the base branch and every PR head, then by SHA whatever is still missing (a parent train built elsewhere). */
  const fetchAll = async (clone: LockedClone, req: TrainBuildRequest): Promise<Set<string>> => {
    const specs = [`+refs/heads/${req.branch}:refs/remotes/origin/${req.branch}`, ...req.members.map((m) => `+refs/pull/${m.pull.number}/head:refs/remotes/origin/pull/${m.pull.number}`)];
    await clone.remote(['fetch', '-q', '--no-tags', 'origin', ...specs]);
    const wanted = [req.parentSha, ...req.members.map((m) => m.pull.headSha)];
    const missing = new Set<string>();
    for (const sha of wanted) if (!(await hasCommit(clone, sha))) missing.add(sha);
    if (missing.size > 0) {
      await clone.remote(['fetch', '-q', '--no-tags', 'origin', ...missing], { okCodes: [1, 128] });
      for (const sha of [...missing]) if (await hasCommit(clone, sha)) missing.delete(sha);
    }
    return missing;
  };

  const build = async (clone: LockedClone, req: TrainBuildRequest): Promise<TrainBuildResult> => {
    const ref = trainRef(req.branch, req.trainId);
    await run(clone, ['check-ref-format', ref]);
    const missing = await fetchAll(clone, req);
    if (missing.has(req.parentSha)) throw new Error(`${req.org}/${req.repo}: the train's parent ${req.parentSha} is not in the repository`);

    // Whatever an earlier build left behind (a crash mid-merge) goes before this one starts.
    await run(clone, ['cherry-pick', '--quit'], { okCodes: [1, 128] });
    await run(clone, ['reset', '-q', '--hard'], { okCodes: [128] });
    await run(clone, ['checkout', '-q', '-f', '--detach', req.parentSha]);
    await run(clone, ['clean', '-q', '-f', '-d', '-x']);

    const pulls: number[] = [];
    const skipped: TrainRejection[] = [];
    for (const member of req.members) {
      const { number, headSha } = member.pull;
      let rejection: TrainRejection | undefined;
      if (missing.has(headSha)) {
        rejection = { pull: number, reason: 'head-missing', files: [] };
      } else {
        const applied =
          member.method === 'merge'
            ? await mergeCommit(clone, member, req.template)
            : member.method === 'squash'
              ? await squashCommit(clone, member, req.template)
              : await rebaseCommits(clone, member);
        if (!applied.ok) rejection = { pull: number, reason: 'conflict', files: applied.files };
      }
      if (rejection === undefined) {
        pulls.push(number);
        continue;
      }
      options.log?.info({ org: req.org, repo: req.repo, train: req.trainId, pull: number, reason: rejection.reason, files: rejection.files }, 'PR left out of the train');
      if ((req.onConflict ?? 'stop') === 'stop') return { kind: 'rejected', applied: pulls, ...rejection };
      skipped.push(rejection);
    }

    const sha = (await run(clone, ['rev-parse', 'HEAD'])).stdout.trim();
    await clone.remote(['push', '-q', '--force', 'origin', `${sha}:${ref}`]);
    options.log?.info({ org: req.org, repo: req.repo, train: req.trainId, parent: req.parentSha, sha, pulls }, 'train commit pushed');
    return { kind: 'built', sha, ref, pulls, skipped };
  };

  return {
    build: (request) => cache.withClone(request.org, request.repo, (clone) => build(clone, request)),
  };
}
