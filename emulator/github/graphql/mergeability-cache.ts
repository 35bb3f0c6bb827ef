import type { GitStore } from '../git/types.ts';

/**
 * Whether a head merges into a base, remembered per (repo, base sha, head sha): GitHub computes it once per
 * pair too, and a search of 37 PRs should not run 37 merges on every sync.
 */
export class MergeabilityCache {
  private readonly known = new Map<string, Promise<boolean>>();
  private readonly git: GitStore;

  constructor(git: GitStore) {
    this.git = git;
  }

  /** True when `headSha` merges cleanly into `baseSha`. */
  mergeable(owner: string, repo: string, baseSha: string, headSha: string): Promise<boolean> {
    const key = `${owner}/${repo}:${baseSha}:${headSha}`;
    let answer = this.known.get(key);
    if (!answer) {
      answer = this.git.mergeability(owner, repo, baseSha, headSha).then((m) => m.mergeable);
      answer.catch(() => this.known.delete(key));
      this.known.set(key, answer);
    }
    return answer;
  }
}
