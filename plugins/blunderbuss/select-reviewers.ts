import { normLogin } from '../owners/owners-aliases.ts';
import type { RepoOwners } from '../owners/repo-owners.ts';

/** Where reviewers come from: OWNERS `reviewers`, or `approvers` when falling back. */
export interface ReviewerSource {
  ownersFor(path: string): string;
  leaf(path: string): Set<string>;
  all(path: string): Set<string>;
  required(path: string): Set<string>;
}

/** OWNERS reviewers as a source. */
export function reviewersOf(owners: RepoOwners): ReviewerSource {
  return {
    ownersFor: (p) => owners.findReviewersOwnersForFile(p),
    leaf: (p) => owners.leafReviewers(p),
    all: (p) => owners.reviewers(p),
    required: (p) => owners.requiredReviewers(p),
  };
}

/** OWNERS approvers as a source (Prow's fallbackReviewersClient). */
export function approversOf(owners: RepoOwners): ReviewerSource {
  return {
    ownersFor: (p) => owners.findApproverOwnersForFile(p),
    leaf: (p) => owners.leafApprovers(p),
    all: (p) => owners.approvers(p),
    required: (p) => owners.requiredReviewers(p),
  };
}

function popRandom(pool: string[], random: () => number): string {
  pool.sort();
  const i = Math.floor(random() * pool.length);
  return pool.splice(i, 1)[0] ?? '';
}

/**
 * Prow's getReviewers: one nearest reviewer from each OWNERS file the changed files fall under, then more
 * nearest reviewers, then any reviewer up the tree, until `count` are found; never the author. The random
 * picks come from `random`, so a seeded generator makes the choice reproducible. Returns the picks (nearest
 * first) and the `required_reviewers` of the files.
 */
export function selectReviewers(source: ReviewerSource, author: string, files: readonly string[], count: number, random: () => number): { reviewers: string[]; required: string[] } {
  const who = normLogin(author);
  const chosen: { login: string; layer: number }[] = [];
  const required = new Set<string>();
  if (count <= 0) return { reviewers: [], required: [] };
  const isChosen = (l: string): boolean => chosen.some((c) => c.login === l);
  const leafPool = new Set<string>();
  const seen = new Set<string>();
  for (const f of files) {
    const owners = source.ownersFor(f);
    if (seen.has(owners)) continue;
    seen.add(owners);
    for (const r of source.required(f)) required.add(r);
    const unused = [...source.leaf(f)].filter((r) => r !== who && !isChosen(r));
    if (unused.length === 0) continue;
    for (const r of unused) leafPool.add(r);
    chosen.push({ login: popRandom(unused, random), layer: 0 });
  }
  const unusedLeaves = [...leafPool].filter((r) => !isChosen(r));
  while (chosen.length < count && unusedLeaves.length > 0) chosen.push({ login: popRandom(unusedLeaves, random), layer: 1 });
  for (const f of files) {
    if (chosen.length >= count) break;
    const pool = [...source.all(f)].filter((r) => r !== who && !isChosen(r));
    while (chosen.length < count && pool.length > 0) chosen.push({ login: popRandom(pool, random), layer: 2 });
  }
  const reviewers = chosen.sort((a, b) => a.layer - b.layer || (a.login < b.login ? -1 : a.login > b.login ? 1 : 0)).map((c) => c.login);
  return { reviewers, required: [...required].filter((r) => r !== who).sort() };
}
