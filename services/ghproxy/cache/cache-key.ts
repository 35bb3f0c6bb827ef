import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/** Request headers every entry is keyed by: GitHub answers them with different bodies (JSON, diff, patch, raw). */
const keyedHeaders = ['accept', 'x-github-api-version'] as const;

/** Vary names the key or the partition already covers, or that the proxy rewrites itself. */
const coveredByKey = new Set<string>([...keyedHeaders, 'authorization', 'accept-encoding']);

function single(value: string | string[] | undefined): string {
  return Array.isArray(value) ? value.join(', ') : (value ?? '');
}

/** The key of a GET within its partition: the full path and query plus the headers that change the body. */
export function cacheKeyOf(pathAndQuery: string, headers: IncomingHttpHeaders): string {
  const hash = createHash('sha256').update(pathAndQuery);
  for (const name of keyedHeaders) hash.update('\n').update(single(headers[name]));
  return hash.digest('hex');
}

/**
 * The request's values of the headers a response says it varies on (its `Vary`), beyond those the key and the
 * partition cover; stored with the entry, so a request that differs in one of them is not served it.
 */
export function varyValues(vary: string | string[] | undefined, headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of single(vary).split(',')) {
    const name = raw.trim().toLowerCase();
    if (name === '' || coveredByKey.has(name)) continue;
    out[name] = single(headers[name]);
  }
  return out;
}

/** True when the request has the values an entry was stored for. */
export function varyMatches(stored: Record<string, string>, headers: IncomingHttpHeaders): boolean {
  return Object.entries(stored).every(([name, value]) => single(headers[name]) === value);
}
