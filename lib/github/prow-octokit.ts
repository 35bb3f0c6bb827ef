import { Octokit, type OctokitOptions } from '@octokit/core';
import { paginateGraphQL } from '@octokit/plugin-paginate-graphql';
import { paginateRest } from '@octokit/plugin-paginate-rest';
import { restEndpointMethods } from '@octokit/plugin-rest-endpoint-methods';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import pkg from '../../package.json' with { type: 'json' };
import type { Logger } from '../log.ts';
import { friendlyErrors } from './friendly-errors.ts';
import { requestLogging } from './request-logging.ts';
import { throttleOptions, type RateLimitSettings } from './throttle-options.ts';

/** The User-Agent every GitHub call carries (Octokit appends its own trail). */
export const prowUserAgent = `prow-ts/${pkg.version}`;

/** How many times, and how far apart, 5xx answers and network failures are retried. */
export interface RetrySettings {
  /** 3 by default. */
  retries?: number | undefined;
  /** Milliseconds per unit of back-off (waits are 1, 4, 9... units); 1000 in production, 1 in tests. */
  retryAfterBaseValue?: number | undefined;
}

/** Options of a ProwOctokit beyond Octokit's own: the logger is required, limits are tunable for tests. */
export interface ProwOctokitOptions extends OctokitOptions {
  logger: Logger;
  rateLimits?: RateLimitSettings | undefined;
  retries?: RetrySettings | undefined;
}

/**
 * The one Octokit class of prow-ts. Plugins apply innermost first: request logging sits just outside auth
 * so every attempt is logged; throttling then retry wrap it; friendly errors come last so they see only
 * the final outcome of a call.
 */
const Composed = Octokit.plugin(
  requestLogging,
  throttling,
  retry,
  paginateRest,
  paginateGraphQL,
  restEndpointMethods,
  friendlyErrors,
).defaults((options: ProwOctokitOptions): OctokitOptions => ({
  userAgent: prowUserAgent,
  ...options,
  log: options.logger,
  throttle: throttleOptions(options.logger, options.rateLimits),
  retry: {
    retries: options.retries?.retries ?? 3,
    retryAfterBaseValue: options.retries?.retryAfterBaseValue ?? 1000,
    // 429 belongs to the throttling plugin: once it gives up, retrying again here would defeat its bound.
    doNotRetry: [400, 401, 403, 404, 410, 422, 429, 451],
  },
}));

/** An instance of the composed client: REST methods under `.rest`, `.paginate`, `.graphql.paginate`. */
export type ProwOctokit = InstanceType<typeof Composed>;

/** The composed class, typed so that a logger must be given. */
export const ProwOctokit: new (options: ProwOctokitOptions) => ProwOctokit = Composed;
