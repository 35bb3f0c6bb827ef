import { parse } from 'yaml';
import { compileGoRegexp } from '../../lib/config/index.ts';
import { expandAliases, type OwnersAliases } from './owners-aliases.ts';

/** One block of an OWNERS file: the whole directory (`pattern` undefined) or the files a `filters` regex matches. */
export interface OwnersRule {
  /** Matched against the path relative to the OWNERS file's directory; undefined for the whole directory. */
  pattern: RegExp | undefined;
  approvers: ReadonlySet<string>;
  reviewers: ReadonlySet<string>;
  requiredReviewers: ReadonlySet<string>;
  labels: ReadonlySet<string>;
}

/** A parsed OWNERS file, aliases already expanded. */
export interface OwnersFile {
  noParentOwners: boolean;
  autoApproveUnownedSubfolders: boolean;
  rules: OwnersRule[];
}

/** The roles an OWNERS rule lists people in. */
export type OwnersRole = 'approvers' | 'reviewers' | 'requiredReviewers';

function strings(value: unknown, key: string): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) throw new Error(`\`${key}\` must be a list of strings`);
  return value as string[];
}

function rule(block: Record<string, unknown>, pattern: RegExp | undefined, aliases: OwnersAliases): OwnersRule {
  return {
    pattern,
    approvers: expandAliases(strings(block.approvers, 'approvers'), aliases),
    reviewers: expandAliases(strings(block.reviewers, 'reviewers'), aliases),
    requiredReviewers: expandAliases(strings(block.required_reviewers, 'required_reviewers'), aliases),
    labels: new Set(strings(block.labels, 'labels')),
  };
}

function isEmpty(r: OwnersRule): boolean {
  return r.approvers.size === 0 && r.reviewers.size === 0 && r.requiredReviewers.size === 0 && r.labels.size === 0;
}

/**
 * Parses an OWNERS file as Prow does: the simple form (`approvers`, `reviewers`, `required_reviewers`,
 * `labels`) when it names anyone or any label, else the full form whose `filters` map a Go regex (`.*` for
 * everything) to those lists; `options.no_parent_owners` and `options.auto_approve_unowned_subfolders` in both.
 * Throws an Error naming the problem when the YAML or a regex is invalid.
 */
export function parseOwnersFile(text: string, aliases: OwnersAliases): OwnersFile {
  const doc = (parse(text) ?? {}) as unknown;
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw new Error('an OWNERS file must be a YAML map');
  const top = doc as Record<string, unknown>;
  const options = (top.options ?? {}) as Record<string, unknown>;
  const result: OwnersFile = {
    noParentOwners: options.no_parent_owners === true,
    autoApproveUnownedSubfolders: options.auto_approve_unowned_subfolders === true,
    rules: [],
  };
  const simple = rule(top, undefined, aliases);
  if (!isEmpty(simple)) {
    result.rules.push(simple);
    return result;
  }
  const filters = top.filters;
  if (filters === undefined || filters === null) return result;
  if (typeof filters !== 'object' || Array.isArray(filters)) throw new Error('`filters` must map regular expressions to owners');
  for (const [source, block] of Object.entries(filters as Record<string, unknown>)) {
    const pattern = source === '.*' ? undefined : compileGoRegexp(source);
    result.rules.push(rule((block ?? {}) as Record<string, unknown>, pattern, aliases));
  }
  return result;
}
