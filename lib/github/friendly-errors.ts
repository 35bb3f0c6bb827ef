import type { Octokit } from '@octokit/core';
import { ProwError } from '../errors.ts';
import { scrubSecrets } from '../log.ts';

/** The parts of an Octokit RequestError this module reads; duck-typed because that class is not our dependency. */
export interface RequestErrorLike extends Error {
  status: number;
  response?: { status: number; headers: Record<string, unknown>; data?: unknown } | undefined;
}

/** True for errors thrown by Octokit's request layer (HTTP errors and network failures). */
export function isRequestError(err: unknown): err is RequestErrorLike {
  return err instanceof Error && typeof (err as { status?: unknown }).status === 'number';
}

/** True when no HTTP answer came back at all: refused, DNS, TLS, reset. Octokit reports those as status 500. */
export function isNetworkFailure(err: unknown): boolean {
  return isRequestError(err) && err.response === undefined && err.name !== 'AbortError';
}

/** `url` without user:password, for messages. */
export function safeUrl(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    return u.toString().replace(/\/$/, '');
  } catch {
    return scrubSecrets(url);
  }
}

function withCause(err: ProwError, cause: unknown): ProwError {
  // Not enumerable, so serialising the ProwError does not serialise the request it came from.
  Object.defineProperty(err, 'cause', { value: cause, enumerable: false, configurable: true });
  return err;
}

/**
 * Maps the GitHub failures an operator can fix to coded errors: no answer from the base URL is
 * PROW_ERR_GITHUB_UNREACHABLE naming the URL; 401 is PROW_ERR_GITHUB_AUTH (token invalid or expired).
 * Everything else is returned unchanged, so callers still see `status` 404, 422 and so on.
 */
export function toFriendlyError(err: unknown, baseUrl: string): unknown {
  if (!isRequestError(err)) return err;
  if (isNetworkFailure(err)) {
    return withCause(new ProwError('PROW_ERR_GITHUB_UNREACHABLE', safeUrl(baseUrl), scrubSecrets(err.message)), err);
  }
  if (err.status === 401) {
    return withCause(
      new ProwError(
        'PROW_ERR_GITHUB_AUTH',
        `GitHub at ${safeUrl(baseUrl)} answered 401 (${scrubSecrets(err.message)}): the token is invalid or expired. ` +
          'Set GITHUB_TOKEN to a valid token, or check GITHUB_APP_ID and GITHUB_APP_PRIVATE_KEY.',
      ),
      err,
    );
  }
  return err;
}

/**
 * Octokit plugin, composed last so it sees each call's final outcome after retries and throttling:
 * rethrows operator-fixable failures as ProwErrors (see `toFriendlyError`).
 */
export function friendlyErrors(octokit: Octokit): void {
  const baseUrl = octokit.request.endpoint.DEFAULTS.baseUrl;
  octokit.hook.error('request', (err) => {
    throw toFriendlyError(err, baseUrl);
  });
}
