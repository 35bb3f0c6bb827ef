import type { Readable } from 'node:stream';
import { ProwError } from '../../lib/errors.ts';
import type { CacheMode } from './cache-mode.ts';
import type { HeaderMap } from './headers.ts';
import { BudgetBlockedError } from './upstream/throttle.ts';
import { UpstreamError } from './upstream/upstream.ts';

/** A whole response, shareable with coalesced requests. */
export interface BufferedAnswer {
  kind: 'buffered';
  status: number;
  headers: HeaderMap;
  body: Buffer;
  mode: CacheMode;
}

/** A response whose body is streamed through: too large to keep, or not the cache's business. Only its requester reads it. */
export interface StreamedAnswer {
  kind: 'stream';
  status: number;
  headers: HeaderMap;
  /** Chunks already read before the body turned out too large to keep. */
  head: Buffer[];
  rest: Readable;
  mode: CacheMode;
}

export type ProxyAnswer = BufferedAnswer | StreamedAnswer;

function json(status: number, body: Record<string, unknown>, headers: HeaderMap = {}): BufferedAnswer {
  return { kind: 'buffered', status, headers: { 'content-type': 'application/json; charset=utf-8', ...headers }, body: Buffer.from(JSON.stringify(body)), mode: 'ERROR' };
}

/**
 * The answer to a request the proxy could not complete, as JSON a GitHub client reads (`message`) plus the
 * registry's `code`: 504 when GitHub was silent past the timeout, 502 when it could not be reached, and a
 * 403 shaped like GitHub's secondary rate limit (with `retry-after`) when the token must still wait.
 */
export function failureAnswer(err: unknown, upstreamOrigin: string): BufferedAnswer {
  if (err instanceof BudgetBlockedError) {
    return json(403, { message: `You have exceeded a secondary rate limit: ${err.message}`, documentation_url: 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits' }, { 'retry-after': String(err.retryAfterSeconds) });
  }
  if (err instanceof UpstreamError) {
    const failure = new ProwError('PROW_ERR_GITHUB_UNREACHABLE', upstreamOrigin, err.message);
    return json(err.kind === 'timeout' ? 504 : 502, { message: `ghproxy: ${failure.message}`, code: failure.code });
  }
  return json(502, { message: `ghproxy: the request to ${upstreamOrigin} failed: ${err instanceof Error ? err.message : String(err)}`, code: 'PROW_ERR_GITHUB_UNREACHABLE' });
}

/** A request the proxy refuses before sending it anywhere. */
export function badRequestAnswer(status: number, message: string): BufferedAnswer {
  return json(status, { message: `ghproxy: ${message}` });
}
