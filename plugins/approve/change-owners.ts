import { parentDir, type RepoOwners } from '../owners/repo-owners.ts';
import { seededRandom, shuffled } from '../../lib/seeded-random.ts';

function union(into: Map<string, Set<string>>, key: string, values: Iterable<string>): void {
  let set = into.get(key);
  if (!set) into.set(key, (set = new Set()));
  for (const v of values) set.add(v);
}

/**
 * The OWNERS side of one change (Prow's approvers.Owners): which OWNERS files must approve the changed
 * files, who can approve each, and who to suggest. OWNERS files are named by their directory ('' for the root).
 */
export class ChangeOwners {
  /** The changed files that need approval (files under an `auto_approve_unowned_subfolders` owner without their own OWNERS are not). */
  readonly filenames: readonly string[];
  readonly allFilenames: readonly string[];
  readonly repo: RepoOwners;
  readonly #seed: number;

  constructor(files: readonly string[], repo: RepoOwners, seed: number) {
    this.allFilenames = files;
    this.repo = repo;
    this.#seed = seed;
    this.filenames = files.filter((f) => {
      const owners = repo.findApproverOwnersForFile(f);
      return parentDir(f) === owners || !repo.isAutoApproveUnownedSubfolders(owners);
    });
  }

  /** The OWNERS files whose approval is needed, without those a needed parent already covers (Prow's removeSubdirs). */
  ownersSet(): Set<string> {
    const dirs = new Set(this.filenames.map((f) => this.repo.findApproverOwnersForFile(f)));
    for (const dir of [...dirs].sort()) {
      let path = dir;
      while (!this.repo.isNoParentOwners(path) && path !== '') {
        path = parentDir(path);
        if (dirs.has(path)) {
          dirs.delete(dir);
          break;
        }
      }
    }
    return dirs;
  }

  /** Needed OWNERS file to everyone who can approve it (`leaf`: its own approvers only, else parents' too). */
  approversByOwners(leaf = false): Map<string, Set<string>> {
    const out = new Map<string, Set<string>>();
    for (const f of this.filenames) {
      union(out, this.repo.findApproverOwnersForFile(f), leaf ? this.repo.leafApprovers(f) : this.repo.approvers(f));
    }
    const needed = this.ownersSet();
    for (const k of out.keys()) if (!needed.has(k)) out.delete(k);
    return out;
  }

  /** Approver to the needed OWNERS files they can approve. */
  reverseMap(byOwners: Map<string, Set<string>>): Map<string, Set<string>> {
    const out = new Map<string, Set<string>>();
    for (const [file, approvers] of byOwners) for (const a of approvers) union(out, a, [file]);
    return out;
  }

  /** The leaf approvers of every needed OWNERS file, in an order fixed by the PR number so suggestions vary between PRs but not between runs. */
  shuffledApprovers(): string[] {
    const all = new Set<string>();
    for (const set of this.approversByOwners(true).values()) for (const a of set) all.add(a);
    return shuffled([...all].sort(), seededRandom(this.#seed));
  }
}
