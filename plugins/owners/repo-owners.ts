import type { OwnersFile, OwnersRole } from './owners-file.ts';

/** The directory containing `path` ('' for the repository root), Prow's canonical form. */
export function parentDir(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash === -1 ? '' : path.slice(0, slash);
}

/** Every directory from `path`'s own up to the root (''), nearest first. */
export function ancestorDirs(path: string): string[] {
  const dirs: string[] = [];
  let d = path;
  do {
    d = parentDir(d);
    dirs.push(d);
  } while (d !== '');
  return dirs;
}

type Field = OwnersRole | 'labels';

/**
 * The OWNERS files of one repository at one commit, answering Prow's repoowners questions for a path: who
 * approves or reviews it (nearest OWNERS only, or every OWNERS up the tree until `no_parent_owners`), which
 * labels apply, and which OWNERS directory is responsible for it. Directories are '' for the root, `a/b` below.
 */
export class RepoOwners {
  readonly #files: ReadonlyMap<string, OwnersFile>;

  constructor(files: ReadonlyMap<string, OwnersFile>) {
    this.#files = files;
  }

  #matching(dir: string, path: string, field: Field): ReadonlySet<string>[] {
    const file = this.#files.get(dir);
    if (!file) return [];
    const relative = dir === path ? '.' : dir === '' ? path : path.slice(dir.length + 1);
    return file.rules.filter((r) => r[field].size > 0 && (r.pattern === undefined || r.pattern.test(relative))).map((r) => r[field]);
  }

  /** Prow's entriesForFile: walks up from `path`, stopping at the first hit when `leafOnly`, or past a `no_parent_owners` directory. */
  #entries(path: string, field: Field, leafOnly: boolean): Set<string> {
    const out = new Set<string>();
    let d = path;
    for (;;) {
      for (const set of this.#matching(d, path, field)) for (const v of set) out.add(v);
      if (leafOnly && out.size > 0) break;
      if (d === '') break;
      if (this.isNoParentOwners(d) && out.size > 0) break;
      d = parentDir(d);
    }
    return out;
  }

  #findOwners(path: string, field: Field): string {
    for (let d = path; d !== ''; d = parentDir(d)) if (this.#matching(d, path, field).length > 0) return d;
    return '';
  }

  /** Everyone who may approve `path`: its nearest OWNERS and every parent up to a `no_parent_owners`. */
  approvers(path: string): Set<string> {
    return this.#entries(path, 'approvers', false);
  }

  /** The approvers of the OWNERS file nearest to `path`. */
  leafApprovers(path: string): Set<string> {
    return this.#entries(path, 'approvers', true);
  }

  reviewers(path: string): Set<string> {
    return this.#entries(path, 'reviewers', false);
  }

  leafReviewers(path: string): Set<string> {
    return this.#entries(path, 'reviewers', true);
  }

  requiredReviewers(path: string): Set<string> {
    return this.#entries(path, 'requiredReviewers', false);
  }

  /** The labels every OWNERS file up the tree (until `no_parent_owners`) gives to `path`. */
  labels(path: string): Set<string> {
    return this.#entries(path, 'labels', false);
  }

  /** The directory of the nearest OWNERS file that names approvers for `path` ('' for the root). */
  findApproverOwnersForFile(path: string): string {
    return this.#findOwners(path, 'approvers');
  }

  /** The directory of the nearest OWNERS file that names reviewers for `path` ('' for the root). */
  findReviewersOwnersForFile(path: string): string {
    return this.#findOwners(path, 'reviewers');
  }

  isNoParentOwners(dir: string): boolean {
    return this.#files.get(dir)?.noParentOwners ?? false;
  }

  isAutoApproveUnownedSubfolders(dir: string): boolean {
    return this.#files.get(dir)?.autoApproveUnownedSubfolders ?? false;
  }
}
