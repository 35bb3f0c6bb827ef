import type { TideQuery } from '../../../lib/config/index.ts';
import type { TidePull } from '../pull.ts';
import { unsuccessfulContexts, type ContextPolicy } from './context-policy.ts';
import { blockedByGitHub, type MergeBlocksPolicy } from './merge-blocks-policy.ts';

/**
 * How far a PR is from one query: `description` names the most serious gap only (it follows "Not mergeable."),
 * `weight` counts them all, heavier for gaps no one can fix on the PR, so the closest query is the one a PR
 * was meant for: a wrong branch weighs 2000, a wrong author 1000, a milestone 100, GitHub's BLOCKED 100 (under
 * policy `block`), a missing review 50, each label and context 1.
 */
export interface RequirementDiff {
  description: string;
  weight: number;
}

/** Labels or contexts named in one description are cut to about 50 characters; the first is always kept. */
const maxListChars = 50;

const byCodePoint = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** `items` sorted, then as many as fit in `maxListChars` (counting ", " between them), at least one. */
function fitList(items: readonly string[]): string[] {
  const sorted = [...items].sort(byCodePoint);
  const kept = sorted.slice(0, 1);
  let chars = kept[0]?.length ?? 0;
  for (const item of sorted.slice(1)) {
    if (chars + item.length > maxListChars) break;
    kept.push(item);
    chars += item.length + 2;
  }
  return kept;
}

/** " Needs a label." or " Needs a, b labels." (the word and the sentence around the list are the caller's). */
function listSentence(items: readonly string[], one: (item: string) => string, many: (items: string) => string): string {
  const kept = fitList(items);
  return kept.length === 1 ? one(kept[0] ?? '') : many(kept.join(', '));
}

/** A login as GitHub compares them: case-insensitive, an `@` in front ignored (Prow's `NormLogin`). */
const normLogin = (login: string): string => login.replace(/^@/, '').toLowerCase();

/** Prow's `requirementDiff`: what `pull` lacks to match `query`, in the order Tide reports it. */
export function requirementDiff(pull: TidePull, query: TideQuery, policy: ContextPolicy, blocks: MergeBlocksPolicy): RequirementDiff {
  let description = '';
  let weight = 0;
  const gap = (w: number, text: () => string): void => {
    weight += w;
    if (description === '') description = text();
  };

  const included = query.includedBranches ?? [];
  const branchDenied = (query.excludedBranches ?? []).includes(pull.baseRef) || (included.length > 0 && !included.includes(pull.baseRef));
  if (branchDenied) gap(2000, () => ` Merging to branch ${pull.baseRef} is forbidden.`);

  const author = normLogin(query.author ?? '');
  if (author !== '' && normLogin(pull.author) !== author) gap(1000, () => ` Must be by author ${author}.`);

  const milestone = query.milestone ?? '';
  if (milestone !== '' && pull.milestone !== milestone) gap(100, () => ` Must be in milestone ${milestone}.`);

  // A label entry "a,b" is met by either label, and named "a or b".
  const missing = (query.labels ?? []).filter((l) => !l.split(',').some((alt) => pull.labels.includes(alt))).map((l) => l.replaceAll(',', ' or '));
  if (missing.length > 0) {
    gap(missing.length, () => listSentence(missing, (l) => ` Needs ${l} label.`, (ls) => ` Needs ${ls} labels.`));
  }

  const forbidden = (query.missingLabels ?? []).filter((l) => pull.labels.includes(l));
  if (forbidden.length > 0) {
    gap(forbidden.length, () => listSentence(forbidden, (l) => ` Should not have ${l} label.`, (ls) => ` Should not have ${ls} labels.`));
  }

  const contexts = unsuccessfulContexts(policy, pull.contexts).map((c) => c.context);
  if (contexts.length > 0) {
    gap(contexts.length, () => listSentence(contexts, (c) => ` Job ${c} has not succeeded.`, (cs) => ` Jobs ${cs} have not succeeded.`));
  }

  if (query.reviewApprovedRequired === true && pull.reviewDecision !== 'APPROVED') {
    gap(50, () => ' PullRequest is missing sufficient approving GitHub review(s)');
  }
  if (blocks === 'block' && blockedByGitHub(pull)) gap(100, () => ' Blocked by GitHub (branch rulesets or protection)');
  return { description, weight };
}

/** The queries that search `org/repo` (Prow's `TideQuery.ForRepo`): by its org unless excluded there, or by name. */
export function queriesForRepo(queries: readonly TideQuery[], org: string, repo: string): TideQuery[] {
  const fullName = `${org}/${repo}`;
  return queries.filter((q) =>
    (q.orgs ?? []).includes(org) ? !(q.excludedRepos ?? []).includes(fullName) : (q.repos ?? []).includes(fullName),
  );
}

/** What a PR outside the pool lacks, or that it already meets some query (then it is treated as in the pool). */
export type QueryDiff = { met: true } | { met: false; description: string };

/**
 * The diff that goes after "Not mergeable." for a PR outside the pool (Prow's `expectedStatus`): the gap to the
 * closest query of its repo (the lowest weight; the first on a tie), or with `displayAll`
 * (`display_all_tide_queries_in_status`) the gaps to every query of its branch joined by " OR", or
 * " No Tide query for branch X found." when none is for its branch.
 */
export function closestQueryDiff(pull: TidePull, queries: readonly TideQuery[], policy: ContextPolicy, blocks: MergeBlocksPolicy, displayAll = false): QueryDiff {
  let closest: RequirementDiff | undefined;
  let joined = '';
  for (const query of queriesForRepo(queries, pull.org, pull.repo)) {
    const diff = requirementDiff(pull, query, policy, blocks);
    if (diff.weight === 0) return { met: true };
    if (displayAll) {
      if (diff.weight >= 2000) continue;
      if (joined !== '') joined = `${joined.replace(/\.$/, '')} OR`;
      joined += diff.description;
    } else if (closest === undefined || diff.weight < closest.weight) {
      closest = diff;
    }
  }
  if (displayAll) return { met: false, description: joined === '' ? ` No Tide query for branch ${pull.baseRef} found.` : joined };
  return { met: false, description: closest?.description ?? '' };
}
