import { parse } from 'yaml';

/** OWNERS_ALIASES: alias name to its members, every login normalised. */
export type OwnersAliases = ReadonlyMap<string, ReadonlySet<string>>;

/** A login as Prow compares them: lower case, without a leading `@`. */
export function normLogin(login: string): string {
  return login.trim().toLowerCase().replace(/^@/, '');
}

/**
 * Parses an OWNERS_ALIASES file (`aliases: {name: [logins]}`), accepting Prow's flow-mapping and empty-group
 * forms. Throws an Error naming the problem when the file is not such a map.
 */
export function parseOwnersAliases(text: string): OwnersAliases {
  const doc = parse(text) as unknown;
  const result = new Map<string, ReadonlySet<string>>();
  if (doc === null || doc === undefined) return result;
  if (typeof doc !== 'object' || Array.isArray(doc)) throw new Error('OWNERS_ALIASES must be a map with an `aliases` key');
  const aliases = (doc as { aliases?: unknown }).aliases;
  if (aliases === undefined || aliases === null) return result;
  if (typeof aliases !== 'object' || Array.isArray(aliases)) throw new Error('`aliases` must map alias names to lists of logins');
  for (const [name, members] of Object.entries(aliases as Record<string, unknown>)) {
    let logins: string[];
    if (members === null) logins = [];
    else if (Array.isArray(members)) {
      logins = members.map((m) => {
        if (typeof m !== 'string') throw new Error(`alias group "${name}" has a member that is not a login`);
        return m;
      });
    } else if (typeof members === 'object') logins = Object.keys(members);
    else throw new Error(`alias group "${name}" must contain a list of members`);
    result.set(normLogin(name), new Set(logins.map(normLogin)));
  }
  return result;
}

/** `logins` normalised, each alias replaced by its members. */
export function expandAliases(logins: Iterable<string>, aliases: OwnersAliases): Set<string> {
  const out = new Set<string>();
  for (const login of logins) {
    const norm = normLogin(login);
    const members = aliases.get(norm);
    if (members) for (const m of members) out.add(m);
    else out.add(norm);
  }
  return out;
}
