import type { TideQuery } from '../../../lib/config/index.ts';

/** GitHub's founding: Tide never asks for PRs updated earlier (Prow's `github.FoundingYear`). */
export const githubFoundingDate = new Date(Date.UTC(2007, 0, 1));

const quoted = (value: string): string => `"${value}"`;

/** The org of `org/repo`, or undefined when it is not of that form (GitHub's search ignores such tokens too). */
function orgOf(orgRepo: string): string | undefined {
  const parts = orgRepo.split('/');
  return parts.length === 2 ? parts[0] : undefined;
}

/** The part of a query that is the same for every org: state, author, branches, labels, milestone, review. */
function commonTokens(q: TideQuery): string[] {
  const tokens = ['is:pr', 'state:open', 'archived:false'];
  if (q.author !== undefined && q.author !== '') tokens.push(`author:${quoted(q.author)}`);
  for (const b of q.excludedBranches ?? []) tokens.push(`-base:${quoted(b)}`);
  for (const b of q.includedBranches ?? []) tokens.push(`base:${quoted(b)}`);
  // A label entry "a,b" asks for either label: GitHub reads `label:"a","b"` as an OR.
  for (const l of q.labels ?? []) tokens.push(`label:${l.split(',').map(quoted).join(',')}`);
  for (const l of q.missingLabels ?? []) tokens.push(`-label:${quoted(l)}`);
  if (q.milestone !== undefined && q.milestone !== '') tokens.push(`milestone:${quoted(q.milestone)}`);
  if (q.reviewApprovedRequired === true) tokens.push('review:approved');
  return tokens;
}

/** The scope tokens of each org the query touches: `org:`, its `repo:`s, its `-repo:`s, orgs in first-seen order. */
function scopeTokensByOrg(q: TideQuery): Map<string, string[]> {
  const byOrg = new Map<string, string[]>();
  const add = (org: string, token: string): void => {
    const tokens = byOrg.get(org);
    if (tokens === undefined) byOrg.set(org, [token]);
    else if (!tokens.includes(token)) tokens.push(token);
  };
  for (const o of q.orgs ?? []) add(o, `org:${quoted(o)}`);
  for (const r of q.repos ?? []) {
    const org = orgOf(r);
    if (org !== undefined) add(org, `repo:${quoted(r)}`);
  }
  for (const r of q.excludedRepos ?? []) {
    const org = orgOf(r);
    if (org !== undefined) add(org, `-repo:${quoted(r)}`);
  }
  return byOrg;
}

/**
 * The GitHub search string of one `tide.queries[]` entry, as Prow's `TideQuery.Query()` builds it:
 * `is:pr state:open archived:false`, then author, `-base:`/`base:`, labels (`"a,b"` as `label:"a","b"`),
 * `-label:`, milestone, `review:approved`, and last the `org:`/`repo:`/`-repo:` scope of each org. Prow walks
 * its orgs in Go map order; here they come in the order the config names them, so the string is stable.
 *
 * @example
 * tideQueryString({ repos: ['o/r'], labels: ['lgtm'] }) // 'is:pr state:open archived:false label:"lgtm" repo:"o/r"'
 */
export function tideQueryString(q: TideQuery): string {
  return [...commonTokens(q), ...[...scopeTokensByOrg(q).values()].flat()].join(' ');
}

/**
 * The query split by org (Prow's `TideQuery.OrgQueries()`): what Tide runs with GitHub App auth, where each
 * org is searched with its own installation's token.
 */
export function tideOrgQueries(q: TideQuery): Map<string, string> {
  const common = commonTokens(q).join(' ');
  return new Map([...scopeTokensByOrg(q)].map(([org, tokens]) => [org, `${common} ${tokens.join(' ')}`]));
}

/** A time as GitHub's search reads it (Prow's `SearchTimeFormat`): UTC, to the second. */
export function searchTime(t: Date): string {
  return t.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** `t`, or GitHub's founding when `t` is earlier (Prow's `floor`). */
function floor(t: Date): Date {
  return t.getTime() < githubFoundingDate.getTime() ? githubFoundingDate : t;
}

/**
 * `query` restricted to PRs updated between `start` and `end` (Prow's `datedQuery` with the floors its
 * `search` applies first): ` updated:<start>..<end>`, both no earlier than GitHub's founding.
 */
export function datedQuery(query: string, start: Date | undefined, end: Date): string {
  return `${query} updated:${searchTime(floor(start ?? githubFoundingDate))}..${searchTime(floor(end))}`;
}

/** Which orgs a set of queries covers, with the repos excluded from each, and which single repos (Prow's `OrgExceptionsAndRepos`). */
export interface QueryScope {
  /** Included org to the repos every query naming it excludes, less those another query names. */
  orgs: Map<string, Set<string>>;
  repos: Set<string>;
}

/** The orgs and repos `queries` cover together: an org's exceptions are the repos excluded by every query naming the org. */
export function queryScope(queries: readonly TideQuery[]): QueryScope {
  const orgs = new Map<string, Set<string>>();
  for (const q of queries) {
    for (const org of q.orgs ?? []) {
      const excluded = new Set((q.excludedRepos ?? []).filter((r) => r.startsWith(`${org}/`)));
      const seen = orgs.get(org);
      orgs.set(org, seen === undefined ? excluded : new Set([...seen].filter((r) => excluded.has(r))));
    }
  }
  const repos = new Set(queries.flatMap((q) => q.repos ?? []));
  for (const excepts of orgs.values()) for (const r of repos) excepts.delete(r);
  return { orgs, repos };
}

const byCodePoint = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The scope of `queries` as search tokens, as Prow's `orgRepoQueryStrings`: each org (sorted) followed by its
 * `-repo:` exceptions, then every `repo:`.
 */
export function scopeQueryString(scope: QueryScope): string {
  const tokens: string[] = [];
  for (const org of [...scope.orgs.keys()].sort(byCodePoint)) {
    tokens.push(`org:${quoted(org)}`);
    for (const r of [...(scope.orgs.get(org) ?? [])].sort(byCodePoint)) tokens.push(`-repo:${quoted(r)}`);
  }
  for (const r of [...scope.repos].sort(byCodePoint)) tokens.push(`repo:${quoted(r)}`);
  return tokens.join(' ');
}

/**
 * The search for open issues carrying `blockerLabel` in everything the queries cover, as Prow's blockers package
 * sends it: `is:issue state:open label:"<label>" org:"o" -repo:"o/x" repo:"o/r"`.
 */
export function blockerQueryString(blockerLabel: string, queries: readonly TideQuery[]): string {
  return ['is:issue', 'state:open', `label:${quoted(blockerLabel)}`, scopeQueryString(queryScope(queries))].join(' ');
}

function duplicates(field: string, list: readonly string[] | undefined): string | undefined {
  const seen = new Set<string>();
  const dups = new Set<string>();
  for (const item of list ?? []) (seen.has(item) ? dups : seen).add(item);
  if (dups.size === 0) return undefined;
  const count = (list?.length ?? 0) - seen.size;
  return `"${field}" contains ${count} duplicate entr${count === 1 ? 'y' : 'ies'}: ${[...dups].sort(byCodePoint).join(', ')}`;
}

const orgRepoShape = (s: string): boolean => {
  const parts = s.split('/');
  return parts.length === 2 && parts[0] !== '' && parts[1] !== '';
};

/**
 * What is wrong with one `tide.queries[]` entry, by Prow's `TideQuery.Validate` rules; empty when nothing is.
 * Prow stops at the first problem; every one is listed here, so one edit can fix them all.
 */
export function tideQueryProblems(q: TideQuery): string[] {
  const problems: string[] = [];
  const note = (problem: string | undefined): void => {
    if (problem !== undefined) problems.push(problem);
  };
  const orgs = new Set<string>();
  (q.orgs ?? []).forEach((o, i) => {
    if (o === '') note(`orgs[${i}]: is an empty string`);
    else if (o.includes('/')) note(`orgs[${i}]: "${o}" contains a '/', which is not valid in an org name`);
    else orgs.add(o);
  });
  note(duplicates('orgs', q.orgs));
  (q.repos ?? []).forEach((r, i) => {
    if (!orgRepoShape(r)) note(`repos[${i}]: "${r}" is not of the form "org/repo"`);
    else if (orgs.has(orgOf(r) ?? '')) note(`repos[${i}]: "${r}" is already included via org "${orgOf(r) ?? ''}"`);
  });
  note(duplicates('repos', q.repos));
  if ((q.orgs ?? []).length === 0 && (q.repos ?? []).length === 0) note("'orgs' and 'repos' cannot both be empty");
  (q.excludedRepos ?? []).forEach((r, i) => {
    if (!orgRepoShape(r)) note(`excludedRepos[${i}]: "${r}" is not of the form "org/repo"`);
    else if (!orgs.has(orgOf(r) ?? '')) note(`excludedRepos[${i}]: "${r}" has no effect because org "${orgOf(r) ?? ''}" is not included`);
  });
  note(duplicates('excludedRepos', q.excludedRepos));
  const missing = new Set(q.missingLabels ?? []);
  const both = [...new Set(q.labels ?? [])].filter((l) => missing.has(l)).sort(byCodePoint);
  if (both.length > 0) note(`the labels ${both.map(quoted).join(', ')} are both required and forbidden`);
  note(duplicates('labels', q.labels));
  note(duplicates('missingLabels', q.missingLabels));
  if ((q.includedBranches ?? []).length > 0 && (q.excludedBranches ?? []).length > 0) {
    note("both 'includedBranches' and 'excludedBranches' are specified ('excludedBranches' have no effect)");
  }
  note(duplicates('includedBranches', q.includedBranches));
  note(duplicates('excludedBranches', q.excludedBranches));
  return problems;
}
