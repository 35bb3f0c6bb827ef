import type { MergeMethod } from '../../../lib/config/index.ts';
import type { ProwOctokit } from '../../../lib/github/prow-octokit.ts';

/** Which merge methods a repository's settings allow. */
export type RepoMergeMethods = Readonly<Record<MergeMethod, boolean>>;

/** Reads a repository's allowed merge methods, from a cache when it can. */
export type RepoMergeMethodsReader = (org: string, repo: string) => Promise<RepoMergeMethods>;

/** How long a repository's settings are trusted: Prow clears its cache every hour. */
export const repoSettingsTtlMs = 60 * 60_000;

/**
 * A reader of `GET /repos/{owner}/{repo}` (one token per repo per hour, as Prow's `mergeChecker` spends it).
 * Keep one across syncs to get the cache's worth; a failed read is not kept.
 */
export function createRepoMergeMethodsReader(github: ProwOctokit, options: { ttlMs?: number; now?: () => number } = {}): RepoMergeMethodsReader {
  const ttlMs = options.ttlMs ?? repoSettingsTtlMs;
  const now = options.now ?? Date.now;
  const cache = new Map<string, { at: number; methods: Promise<RepoMergeMethods> }>();
  return (org, repo) => {
    const key = `${org}/${repo}`;
    const hit = cache.get(key);
    if (hit !== undefined && now() - hit.at < ttlMs) return hit.methods;
    const methods = github.rest.repos.get({ owner: org, repo }).then(({ data }) => ({
      merge: data.allow_merge_commit ?? true,
      squash: data.allow_squash_merge ?? true,
      rebase: data.allow_rebase_merge ?? true,
    }));
    const entry = { at: now(), methods };
    methods.catch(() => {
      if (cache.get(key) === entry) cache.delete(key);
    });
    cache.set(key, entry);
    return methods;
  };
}
