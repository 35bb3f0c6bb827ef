import { describe, expect, it } from 'vitest';
import { ProwError } from '../../../lib/errors.ts';
import { classifyError } from './classify-error.ts';

/** The shape Octokit's RequestError has: status, and the response when one came back. */
function requestError(status: number, headers?: Record<string, string>): Error {
  return Object.assign(new Error(`status ${status}`), { status, response: headers === undefined ? undefined : { status, headers } });
}

describe('classifyError', () => {
  const now = 1_700_000_000_000;

  it('retries 5xx answers, failures without an answer, and errors that are not GitHub answers', () => {
    expect(classifyError(requestError(502, {}))).toEqual({ kind: 'retry' });
    expect(classifyError(requestError(500))).toEqual({ kind: 'retry' });
    expect(classifyError(new TypeError('socket hang up'))).toEqual({ kind: 'retry' });
    expect(classifyError(new ProwError('PROW_ERR_GITHUB_UNREACHABLE', 'https://api.github.com', 'ECONNRESET'))).toEqual({ kind: 'retry' });
  });

  it('gives up on 4xx answers we caused and on configuration mistakes', () => {
    for (const status of [400, 403, 404, 410, 422]) expect(classifyError(requestError(status, {}))).toEqual({ kind: 'permanent' });
    expect(classifyError(new ProwError('PROW_ERR_GITHUB_APP_NOT_INSTALLED', 'acme/widgets'))).toEqual({ kind: 'permanent' });
  });

  it("waits as long as GitHub's rate limit says", () => {
    expect(classifyError(requestError(403, { 'retry-after': '30' }), now)).toEqual({ kind: 'rate-limit', delayMs: 30_000 });
    const reset = String(now / 1000 + 90);
    expect(classifyError(requestError(403, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset }), now)).toEqual({ kind: 'rate-limit', delayMs: 90_000 });
    expect(classifyError(requestError(429, {}), now)).toEqual({ kind: 'rate-limit', delayMs: 60_000 });
  });
});
