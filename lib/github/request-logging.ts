import type { Octokit, OctokitOptions } from '@octokit/core';
import type { Logger } from '../log.ts';
import { scrubSecrets } from '../log.ts';
import { isRequestError } from './friendly-errors.ts';

/** The route a request was made for, without base URL or query (a query could carry a secret). */
export function routeOf(url: string, baseUrl: string): string {
  const path = url.startsWith(baseUrl) ? url.slice(baseUrl.length) : url;
  return path.split('?')[0] ?? path;
}

function header(headers: Record<string, unknown> | undefined, name: string): string | undefined {
  const v = headers?.[name];
  return typeof v === 'string' || typeof v === 'number' ? String(v) : undefined;
}

/**
 * Octokit plugin: one log line per HTTP attempt (retries included) with method, route template, status,
 * duration, GitHub's request id and the remaining rate limit; debug on success, warn on failure. It reads
 * only these fields, never headers or bodies, so no token can reach the log.
 */
export function requestLogging(octokit: Octokit, options: OctokitOptions): void {
  const log = (options as { logger?: Logger }).logger;
  if (log === undefined) return;
  const baseUrl = octokit.request.endpoint.DEFAULTS.baseUrl;
  octokit.hook.wrap('request', async (request, opts) => {
    const started = performance.now();
    const fields = { method: opts.method, route: routeOf(opts.url, baseUrl) };
    try {
      const res = await request(opts);
      log.debug(
        {
          ...fields,
          status: res.status,
          durationMs: Math.round(performance.now() - started),
          requestId: header(res.headers, 'x-github-request-id'),
          rateLimitRemaining: header(res.headers, 'x-ratelimit-remaining'),
        },
        `GitHub ${fields.method} ${fields.route} ${res.status}`,
      );
      return res;
    } catch (err) {
      const response = isRequestError(err) ? err.response : undefined;
      const status = response?.status;
      log.warn(
        {
          ...fields,
          status,
          durationMs: Math.round(performance.now() - started),
          requestId: header(response?.headers, 'x-github-request-id'),
          rateLimitRemaining: header(response?.headers, 'x-ratelimit-remaining'),
          error: scrubSecrets(err instanceof Error ? err.message : String(err)),
        },
        `GitHub ${fields.method} ${fields.route} failed${status === undefined ? '' : ` ${status}`}`,
      );
      throw err;
    }
  });
}
