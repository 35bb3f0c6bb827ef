import { parse } from 'yaml';
import { ProwError } from '../errors.ts';

/**
 * The webhook HMAC secrets, parsed once: every distinct key, and which of them may sign a given payload.
 * Digests are computed for every key while the body streams in; `allowedFor` then says which count.
 */
export interface WebhookSecrets {
  /** Every distinct key, in a fixed order. */
  readonly keys: readonly Buffer[];
  /** Indexes into `keys` that may sign this payload: the repo's list, else the org's, else `*`'s. */
  allowedFor(payload: Record<string, unknown>): readonly number[];
  /** Indexes of every key, for bodies whose repository cannot be read (too large, not JSON). */
  readonly all: readonly number[];
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function field(obj: unknown, ...path: string[]): string | undefined {
  let cur = obj;
  for (const p of path) cur = isRecord(cur) ? cur[p] : undefined;
  return typeof cur === 'string' ? cur : undefined;
}

/** `org/repo` of a payload's repository, else the organization's login for org-level events (as Prow does). */
export function payloadOwner(payload: Record<string, unknown>): { org: string | undefined; repo: string | undefined } {
  const fullName = field(payload, 'repository', 'full_name');
  if (fullName !== undefined) return { org: fullName.split('/')[0], repo: fullName };
  return { org: field(payload, 'organization', 'login'), repo: undefined };
}

function invalid(why: string): ProwError {
  return new ProwError('PROW_ERR_WEBHOOK_SECRET_INVALID', why);
}

/** Reads Prow's hierarchical format: `"org/repo" | "org" | "*"` to a list of `{value, created_at}`. */
function parseHierarchy(doc: Record<string, unknown>): Map<string, string[]> {
  const levels = new Map<string, string[]>();
  for (const [level, list] of Object.entries(doc)) {
    if (!Array.isArray(list) || list.length === 0) throw invalid(`"${level}" must be a non-empty list of {value, created_at}`);
    const values = list.map((item, i) => {
      if (!isRecord(item)) throw invalid(`"${level}"[${i}] must be a map with a "value"`);
      const unknown = Object.keys(item).filter((k) => k !== 'value' && k !== 'created_at');
      if (unknown.length > 0) throw invalid(`"${level}"[${i}] has unknown key "${unknown.join('", "')}"`);
      const value = item.value;
      if (typeof value !== 'string' || value.length === 0) throw invalid(`"${level}"[${i}].value must be a non-empty string`);
      return value;
    });
    levels.set(level.toLowerCase(), values);
  }
  if (levels.size === 0) throw invalid('the map names no org, repo or "*"');
  return levels;
}

/**
 * Parses the webhook secret in either of Prow's formats: one token (the whole text, trimmed), or the YAML map
 * keyed `org/repo`, `org` or `*`. Throws PROW_ERR_WEBHOOK_SECRET_INVALID when it is empty or a malformed map.
 * Org and repo names match case-insensitively, as GitHub's do.
 */
export function parseWebhookSecret(text: string): WebhookSecrets {
  const trimmed = text.trim();
  if (trimmed === '') throw invalid('it is empty');
  let doc: unknown;
  try {
    doc = parse(trimmed);
  } catch {
    doc = undefined;
  }
  if (!isRecord(doc)) {
    const keys = [Buffer.from(trimmed)];
    return { keys, all: [0], allowedFor: () => [0] };
  }
  const levels = parseHierarchy(doc);
  const distinct = [...new Set([...levels.values()].flat())];
  const keys = distinct.map((v) => Buffer.from(v));
  const indexes = new Map([...levels].map(([level, values]) => [level, values.map((v) => distinct.indexOf(v))]));
  const none: readonly number[] = [];
  return {
    keys,
    all: keys.map((_k, i) => i),
    allowedFor(payload) {
      const { org, repo } = payloadOwner(payload);
      return (
        (repo === undefined ? undefined : indexes.get(repo.toLowerCase())) ??
        (org === undefined ? undefined : indexes.get(org.toLowerCase())) ??
        indexes.get('*') ??
        none
      );
    },
  };
}
