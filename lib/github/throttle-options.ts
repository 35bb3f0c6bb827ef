import type { ThrottlingOptions } from '@octokit/plugin-throttling';
import type { Logger } from '../log.ts';

/** How patient the client is with GitHub's rate limits. */
export interface RateLimitSettings {
  /** Retries after the primary (hourly quota) limit; 2 by default. */
  primaryRetries?: number | undefined;
  /** Retries after a secondary (abuse) limit; 3 by default. */
  secondaryRetries?: number | undefined;
  /**
   * Longest wait, in seconds, the client accepts before a retry; beyond it the call fails so a queue can
   * delay the work instead of a worker sleeping. 120 by default, as Prow's client.
   */
  maxWaitSeconds?: number | undefined;
  /** Milliseconds per second of `retry-after`; 1000 in production, 1 in tests so waits are instant. */
  retryAfterBaseValue?: number | undefined;
  /** Seconds to wait on a secondary limit that carries no `retry-after`; 60 by default. */
  fallbackSecondaryRateRetryAfter?: number | undefined;
  /** Off turns throttling off entirely (no write spacing, no rate-limit retries). */
  enabled?: boolean | undefined;
}

/**
 * Builds plugin-throttling's options: both limits are logged at warn and retried a bounded number of times,
 * and only while the wait stays under `maxWaitSeconds`.
 */
export function throttleOptions(log: Logger, settings: RateLimitSettings = {}): ThrottlingOptions {
  const primaryRetries = settings.primaryRetries ?? 2;
  const secondaryRetries = settings.secondaryRetries ?? 3;
  const maxWaitSeconds = settings.maxWaitSeconds ?? 120;
  const decide = (kind: 'primary' | 'secondary', limit: number) =>
    (retryAfter: number, options: { method: string; url: string }, _octokit: unknown, retryCount: number): boolean => {
      const retry = retryCount < limit && retryAfter <= maxWaitSeconds;
      const call = `${options.method} ${options.url}`;
      log.warn(
        { method: options.method, route: options.url, retryAfter, retryCount, retry },
        retry
          ? `GitHub ${kind} rate limit on ${call}; retrying in ${retryAfter}s`
          : `GitHub ${kind} rate limit on ${call}; giving up after ${retryCount} retries (the wait would be ${retryAfter}s)`,
      );
      return retry;
    };
  return {
    enabled: settings.enabled ?? true,
    retryAfterBaseValue: settings.retryAfterBaseValue ?? 1000,
    fallbackSecondaryRateRetryAfter: settings.fallbackSecondaryRateRetryAfter ?? 60,
    onRateLimit: decide('primary', primaryRetries),
    onSecondaryRateLimit: decide('secondary', secondaryRetries),
  };
}
