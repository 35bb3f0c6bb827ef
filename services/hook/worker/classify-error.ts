import { isProwError } from '../../../lib/errors.ts';
import { isRequestError } from '../../../lib/github/friendly-errors.ts';
import { scrubSecrets } from '../../../lib/log.ts';

/**
 * What a plugin failure means for its delivery: `retry` with backoff (5xx, no answer, anything unexpected),
 * wait out a `rate-limit` for `delayMs`, or `permanent` (a 4xx we caused, a configuration mistake): retrying
 * would only repeat it.
 */
export type FailureKind = { kind: 'retry' } | { kind: 'rate-limit'; delayMs: number } | { kind: 'permanent' };

/** ProwErrors that a later attempt can get past without anyone changing anything. */
const transientCodes = new Set(['PROW_ERR_GITHUB_UNREACHABLE', 'PROW_ERR_REDIS_UNREACHABLE']);

function header(headers: Record<string, unknown> | undefined, name: string): string | undefined {
  const value = headers?.[name];
  return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
}

/** How long GitHub asks us to wait, from `retry-after` (seconds) or `x-ratelimit-reset` (epoch seconds). */
function rateLimitDelay(headers: Record<string, unknown> | undefined, now: number): number | undefined {
  const retryAfter = Number(header(headers, 'retry-after'));
  if (Number.isFinite(retryAfter) && retryAfter > 0) return retryAfter * 1000;
  if (header(headers, 'x-ratelimit-remaining') === '0') {
    const reset = Number(header(headers, 'x-ratelimit-reset'));
    return Number.isFinite(reset) ? Math.max(1000, reset * 1000 - now) : 60_000;
  }
  return undefined;
}

/**
 * Classifies an error a plugin threw. GitHub's answers are read from Octokit's RequestError (status and
 * headers, after the client's own retries and throttling gave up); errors from our own code that are not
 * coded are retried, because a transient cause (a socket reset inside a library) looks the same as a bug
 * and the attempt budget bounds the cost.
 */
export function classifyError(err: unknown, now = Date.now()): FailureKind {
  if (isProwError(err)) return transientCodes.has(err.code) ? { kind: 'retry' } : { kind: 'permanent' };
  if (!isRequestError(err)) return { kind: 'retry' };
  const { status } = err;
  if (status === 429 || status === 403) {
    const delayMs = rateLimitDelay(err.response?.headers, now);
    if (delayMs !== undefined) return { kind: 'rate-limit', delayMs };
    if (status === 429) return { kind: 'rate-limit', delayMs: 60_000 };
  }
  if (status >= 500 || err.response === undefined) return { kind: 'retry' };
  return { kind: 'permanent' };
}

/** A one-line reason for logs, failed-set entries and `prow events failed`. */
export function describeError(err: unknown): string {
  if (isRequestError(err)) return scrubSecrets(`HTTP ${err.status}: ${err.message}`);
  return scrubSecrets(err instanceof Error ? err.message : String(err));
}
