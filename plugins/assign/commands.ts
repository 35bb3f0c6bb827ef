/**
 * Prow's `/assign` and `/unassign`: at line start, case-insensitive, logins separated by single spaces,
 * no `/` (so teams cannot be assigned). Go's `\s` is spelled out because JavaScript's also matches
 * Unicode spaces.
 */
export const assignRe = /^\/(un)?assign((?: @?[-\w]+?)*)[\t\n\f\r ]*$/gim;

/** Prow's `/cc` and `/uncc`: like assign, but several spaces may separate targets and `org/team` is allowed. */
export const ccRe = /^\/(un)?cc((?: +@?[-/\w]+?)*)[\t\n\f\r ]*$/gim;

/** Logins from a command's arguments: split on spaces, `@` stripped, as Prow's parseLogins. */
export function parseLogins(args: string): string[] {
  return args
    .split(' ')
    .map((part) => part.replace(/^[@ ]+|[@ ]+$/g, ''))
    .filter((login) => login !== '');
}

/** What a comment asks of one command family: logins to add and to remove, removals first as Prow runs them. */
export interface Targets {
  add: string[];
  remove: string[];
}

/**
 * Folds every match of `re` in `body` into one decision per login, the last mention winning, as Prow
 * does; a command without arguments targets the commenter.
 */
export function parseTargets(body: string, re: RegExp, commenter: string): Targets {
  const wanted = new Map<string, boolean>();
  for (const match of body.matchAll(re)) {
    const add = match[1] === undefined;
    const args = match[2] ?? '';
    for (const login of args === '' ? [commenter] : parseLogins(args)) wanted.set(login, add);
  }
  const targets: Targets = { add: [], remove: [] };
  for (const [login, add] of wanted) (add ? targets.add : targets.remove).push(login);
  return targets;
}
