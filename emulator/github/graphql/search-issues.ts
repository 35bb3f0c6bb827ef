import { actorPermission, atLeast, type Actor } from '../state/permissions.ts';
import type { EmulatorState } from '../state/state.ts';
import type { Account, Issue, PullRequest, Repo } from '../state/types.ts';
import { issueLabels } from '../render/issue.ts';
import { pullReviews, reviewDecision } from './commit-checks.ts';
import { notImplemented } from './model.ts';
import { inDateRange, parseSearch, type SearchTerm } from './search-query.ts';

/** One issue or PR a search found. */
export interface SearchHit {
  repo: Repo;
  issue: Issue;
  pull: PullRequest | undefined;
}

/** GitHub's own qualifiers the emulator does not evaluate: asking for one is an error, not zero results. */
const unsupported = new Set([
  'commenter',
  'comments',
  'involves',
  'interactions',
  'language',
  'linked',
  'mentions',
  'project',
  'reactions',
  'reason',
  'status',
  'team',
  'team-review-requested',
  'topic',
]);

const scopeKeys = new Set(['repo', 'org', 'user', 'owner']);

function loginIs(state: EmulatorState, accountId: number, login: string): boolean {
  const account: Account | undefined = state.accounts.get(accountId);
  if (!account) return false;
  // `author:app/tide` is the App's bot, `tide[bot]`.
  const wanted = login.startsWith('app/') ? `${login.slice(4)}[bot]` : login;
  return account.login.toLowerCase() === wanted.toLowerCase();
}

function flag(value: string, yes: boolean): boolean {
  return value.toLowerCase() === 'true' ? yes : !yes;
}

/** Whether one value of one qualifier matches a hit; undefined for a key that is not a qualifier. */
function matchesValue(state: EmulatorState, hit: SearchHit, key: string, raw: string): boolean | undefined {
  const { repo, issue, pull } = hit;
  const value = raw.toLowerCase();
  switch (key) {
    case 'is':
    case 'type':
      switch (value) {
        case 'pr':
        case 'pull-request':
          return issue.isPull;
        case 'issue':
          return !issue.isPull;
        case 'open':
        case 'closed':
          return issue.state === value;
        case 'merged':
          return pull?.merged === true;
        case 'unmerged':
          return pull !== undefined && !pull.merged;
        case 'draft':
          return pull?.draft === true;
        case 'public':
          return !repo.private;
        case 'private':
          return repo.private;
        case 'locked':
          return issue.locked;
        case 'unlocked':
          return !issue.locked;
        default:
          throw notImplemented(`the search qualifier \`is:${raw}\``);
      }
    case 'state':
      return issue.state === value;
    case 'archived':
      return flag(value, repo.archived);
    case 'draft':
      return pull !== undefined && flag(value, pull.draft);
    case 'repo':
      return state.fullName(repo).toLowerCase() === value;
    case 'org':
    case 'user':
    case 'owner':
      return loginIs(state, repo.ownerId, value);
    case 'label':
      return issueLabels(repo, issue).some((l) => l.name.toLowerCase() === value);
    case 'no':
      if (value === 'label') return issue.labelIds.length === 0;
      if (value === 'milestone') return issue.milestoneNumber === null;
      if (value === 'assignee') return issue.assigneeIds.length === 0;
      throw notImplemented(`the search qualifier \`no:${raw}\``);
    case 'milestone': {
      const m = issue.milestoneNumber === null ? undefined : repo.milestones.get(issue.milestoneNumber);
      return m?.title.toLowerCase() === value;
    }
    case 'base':
      return pull?.base.ref === raw;
    case 'head':
      return pull?.head.ref === raw;
    case 'sha':
      return pull !== undefined && value.length >= 7 && (pull.head.sha.startsWith(value) || (pull.mergeCommitSha?.startsWith(value) ?? false));
    case 'author':
      return loginIs(state, issue.userId, raw);
    case 'assignee':
      return issue.assigneeIds.some((id) => loginIs(state, id, raw));
    case 'review-requested':
      return pull?.requestedReviewerIds.some((id) => loginIs(state, id, raw)) ?? false;
    case 'reviewed-by':
      return pull !== undefined && pullReviews(state, repo.id, pull.number).some((r) => loginIs(state, r.userId, raw));
    case 'review': {
      if (!pull) return false;
      if (value === 'none') return pullReviews(state, repo.id, pull.number).length === 0;
      return reviewDecision(state, repo.id, pull.number) === (value === 'required' ? 'REVIEW_REQUIRED' : value.toUpperCase());
    }
    case 'created':
      return inDateRange(issue.createdAt, raw);
    case 'updated':
      return inDateRange(issue.updatedAt, raw);
    case 'closed':
      return inDateRange(issue.closedAt, raw);
    case 'merged':
      return inDateRange(pull?.mergedAt ?? null, raw);
    default:
      if (unsupported.has(key)) throw notImplemented(`the search qualifier \`${key}:\``);
      return undefined;
  }
}

function textMatches(hit: SearchHit, word: string, where: ReadonlySet<string>): boolean {
  const w = word.toLowerCase();
  if ((where.size === 0 || where.has('title')) && hit.issue.title.toLowerCase().includes(w)) return true;
  return (where.size === 0 || where.has('body')) && (hit.issue.body ?? '').toLowerCase().includes(w);
}

function termMatches(state: EmulatorState, hit: SearchHit, term: SearchTerm, where: ReadonlySet<string>): boolean {
  let any = false;
  for (const value of term.values) {
    const key = term.key;
    const matched = key === undefined ? undefined : matchesValue(state, hit, key, value);
    // A `word:thing` that is no qualifier is text, as on github.com.
    if (matched ?? textMatches(hit, key === undefined ? value : `${key}:${value}`, where)) {
      any = true;
      break;
    }
  }
  return any !== term.negated;
}

/**
 * An issue search (`search(type: ISSUE)`) over the repos the caller can read: one of the scopes must
 * match and every other term too (a qualifier's comma-separated values are alternatives), free words match the title or body (`in:title`,
 * `in:body` narrow it), and the results come sorted by `sort:`.
 */
export function searchIssues(state: EmulatorState, actor: Actor, q: string): SearchHit[] {
  const query = parseSearch(q);
  const where = new Set(query.terms.filter((t) => t.key === 'in' && !t.negated).flatMap((t) => t.values.map((v) => v.toLowerCase())));
  // Scopes (`repo:`, `org:`, `user:`) add up: `org:a repo:b/c` searches both, as Tide's queries expect.
  const isScope = (t: SearchTerm): boolean => !t.negated && t.key !== undefined && scopeKeys.has(t.key);
  const scopes = query.terms.filter(isScope);
  const terms = query.terms.filter((t) => t.key !== 'in' && !isScope(t));
  const hits: SearchHit[] = [];
  for (const repo of state.repos.values()) {
    if (!atLeast(actorPermission(state, actor, repo, 'metadata'), 'read')) continue;
    for (const issue of repo.issues.values()) {
      const hit: SearchHit = { repo, issue, pull: issue.isPull ? repo.pulls.get(issue.number) : undefined };
      const inScope = scopes.length === 0 || scopes.some((t) => termMatches(state, hit, t, where));
      if (inScope && terms.every((t) => termMatches(state, hit, t, where))) hits.push(hit);
    }
  }
  const { field, direction } = query.sort;
  const keyOf = (h: SearchHit): string | number =>
    field === 'comments' ? state.issueComments(h.repo.id, h.issue.number).length : field === 'updated' ? h.issue.updatedAt : h.issue.createdAt;
  const sign = direction === 'asc' ? 1 : -1;
  return hits.sort((a, b) => {
    const ka = keyOf(a);
    const kb = keyOf(b);
    if (ka !== kb) return (ka < kb ? -1 : 1) * sign;
    return (a.issue.id - b.issue.id) * sign;
  });
}
