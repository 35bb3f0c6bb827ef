import { compileGoRegexp, type MergeMethod, type MergeMethodConfig, type ProwConfig } from '../../../lib/config/index.ts';
import type { TidePull } from '../pull.ts';

type RepoEntry = Exclude<MergeMethodConfig[string], MergeMethod>[string];

const compiled = new Map<string, RegExp>();

/** A branch regexp of `merge_method`, compiled once per process. */
function branchPattern(source: string): RegExp {
  let re = compiled.get(source);
  if (re === undefined) {
    re = compileGoRegexp(source);
    compiled.set(source, re);
  }
  return re;
}

/** The org's entry for `repo` in `org: {repo: ...}`: the repo's own, else `*`. */
function repoEntry(orgEntry: MergeMethodConfig[string] | undefined, repo: string): RepoEntry | undefined {
  if (orgEntry === undefined || typeof orgEntry === 'string') return undefined;
  return orgEntry[repo] ?? orgEntry['*'];
}

/**
 * The configured merge method of a PR into `branch` of `org/repo`, in Prow's order
 * (`OrgRepoBranchMergeMethod`): `org/repo@branch`, then the first branch regexp of `org: {repo: {...}}` that
 * matches (in the order written; a regexp matches anywhere in the name, as Go's MatchString), then `org/repo`,
 * then `org: {repo: method}`, then `org: method`, then `merge`. Repo `*` stands for any repo of the org.
 */
export function configuredMergeMethod(config: MergeMethodConfig | undefined, org: string, repo: string, branch: string): MergeMethod {
  const fullName = `${org}/${repo}`;
  const exact = config?.[`${fullName}@${branch}`];
  if (typeof exact === 'string') return exact;
  const orgEntry = config?.[org];
  const entry = repoEntry(orgEntry, repo);
  if (entry !== undefined && typeof entry !== 'string') {
    for (const [pattern, method] of Object.entries(entry)) if (branchPattern(pattern).test(branch)) return method;
  }
  const byRepo = config?.[fullName];
  if (typeof byRepo === 'string') return byRepo;
  if (typeof entry === 'string') return entry;
  if (typeof orgEntry === 'string') return orgEntry;
  return 'merge';
}

/** A PR's merge method, or why it has none: more than one merge-method override label. */
export type PullMergeMethod = { method: MergeMethod } | { conflict: string[] };

/**
 * The method Tide merges `pull` with (Prow's `prMergeMethod`): the configured one, unless the PR carries
 * `squash_label`, `rebase_label` or `merge_label`; two or more of those make the PR unmergeable.
 */
export function pullMergeMethod(tide: ProwConfig['tide'], pull: Pick<TidePull, 'org' | 'repo' | 'baseRef' | 'labels'>): PullMergeMethod {
  const overrides: [string | undefined, MergeMethod][] = [
    [tide?.squash_label, 'squash'],
    [tide?.rebase_label, 'rebase'],
    [tide?.merge_label, 'merge'],
  ];
  const found = overrides.filter(([label]) => label !== undefined && label !== '' && pull.labels.includes(label));
  if (found.length > 1) return { conflict: found.map(([label]) => label ?? '') };
  const [override] = found;
  return { method: override?.[1] ?? configuredMergeMethod(tide?.merge_method, pull.org, pull.repo, pull.baseRef) };
}
