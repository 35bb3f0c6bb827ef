import type { IncomingHttpHeaders } from 'node:http';

/** GitHub's advice when a secondary limit names no `retry-after`: wait at least a minute. */
const defaultWaitSeconds = 60;

/**
 * The seconds GitHub asks a token to wait when a response is a secondary rate limit (a 403 or 429 with
 * `retry-after`, or one whose message says so), else undefined. A spent primary budget
 * (`x-ratelimit-remaining: 0`) is not one: its reset may be an hour away, so it goes back to the caller.
 */
export function secondaryLimitWait(status: number, headers: IncomingHttpHeaders, body: string): number | undefined {
  if (status !== 403 && status !== 429) return undefined;
  if (headers['x-ratelimit-remaining'] === '0') return undefined;
  const retryAfter = headers['retry-after'];
  if (typeof retryAfter === 'string') {
    const seconds = Number(retryAfter);
    if (Number.isFinite(seconds) && seconds >= 0) return seconds;
    const date = Date.parse(retryAfter);
    if (!Number.isNaN(date)) return Math.max(0, Math.ceil((date - Date.now()) / 1000));
  }
  return /secondary rate limit|abuse detection/i.test(body) ? defaultWaitSeconds : undefined;
}
