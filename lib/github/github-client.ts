import { createAppAuth } from '@octokit/auth-app';
import type { ProwEnv } from '../env.ts';
import { ProwError } from '../errors.ts';
import type { Logger } from '../log.ts';
import { defaultGitHubApiUrl, githubBaseUrl } from './base-url.ts';
import { githubCredentialsFromEnv, type GitHubCredentials } from './credentials.ts';
import { isRequestError } from './friendly-errors.ts';
import { ProwOctokit, type RetrySettings } from './prow-octokit.ts';
import type { RateLimitSettings } from './throttle-options.ts';

/** Everything a GitHubClient is built from; only credentials and logger are required. */
export interface GitHubClientOptions {
  credentials: GitHubCredentials;
  logger: Logger;
  /** REST base URL, already resolved by `githubBaseUrl`; api.github.com by default. */
  baseUrl?: string | undefined;
  rateLimits?: RateLimitSettings | undefined;
  retries?: RetrySettings | undefined;
  /** How long an `org/repo` to installation lookup is trusted; 10 minutes by default. */
  installationCacheMs?: number | undefined;
}

interface CachedInstallation {
  id: Promise<number>;
  expires: number;
}

interface State {
  credentials: GitHubCredentials;
  baseUrl: string;
  logger: Logger;
  octokitOptions: { baseUrl: string; rateLimits: RateLimitSettings | undefined; retries: RetrySettings | undefined };
  octokit: ProwOctokit;
  installationCacheMs: number;
  installations: Map<string, CachedInstallation>;
  installationClients: Map<number, Promise<ProwOctokit>>;
}

/**
 * The process's access to GitHub: one default Octokit plus, for a GitHub App, one Octokit per installation.
 * Installation tokens are minted, cached and refreshed by @octokit/auth-app; callers never handle them
 * except to clone over HTTPS.
 *
 * @example
 * const github = githubClientFromEnv(readEnv(), log);
 * const gh = await github.forRepo('kubernetes', 'test-infra');
 * const labels = await gh.paginate(gh.rest.issues.listLabelsForRepo, { owner: 'kubernetes', repo: 'test-infra' });
 */
export class GitHubClient {
  readonly #state: State;

  constructor(options: GitHubClientOptions) {
    const baseUrl = options.baseUrl ?? defaultGitHubApiUrl;
    const logger = options.logger.child({ component: 'github' });
    const octokitOptions = { baseUrl, rateLimits: options.rateLimits, retries: options.retries };
    const { credentials } = options;
    let octokit: ProwOctokit;
    if (credentials.kind === 'token') {
      octokit = new ProwOctokit({ ...octokitOptions, logger, auth: credentials.token });
    } else if (credentials.kind === 'app') {
      octokit = new ProwOctokit({
        ...octokitOptions,
        logger,
        authStrategy: createAppAuth,
        // With an installation id, auth-app signs /app routes with the JWT and everything else with that
        // installation's token, so the default client serves both.
        auth: {
          appId: credentials.appId,
          privateKey: credentials.privateKey,
          ...(credentials.installationId === undefined ? {} : { installationId: credentials.installationId }),
        },
      });
    } else {
      octokit = new ProwOctokit({ ...octokitOptions, logger });
    }
    this.#state = {
      credentials,
      baseUrl,
      logger,
      octokitOptions,
      octokit,
      installationCacheMs: options.installationCacheMs ?? 10 * 60_000,
      installations: new Map(),
      installationClients: new Map(),
    };
  }

  /** How this client authenticates: `token`, `app` or `none`. */
  get kind(): GitHubCredentials['kind'] {
    return this.#state.credentials.kind;
  }

  /** The REST base URL every call goes to (ghproxy when configured). */
  get baseUrl(): string {
    return this.#state.baseUrl;
  }

  /**
   * The default Octokit: the token's, the anonymous one, or the App's (JWT for /app routes, and the
   * configured GITHUB_APP_INSTALLATION_ID's token for the rest).
   */
  get octokit(): ProwOctokit {
    return this.#state.octokit;
  }

  /** An Octokit acting as the App's installation `installationId`; with a token or no credentials, the default one. */
  forInstallation(installationId: number): Promise<ProwOctokit> {
    const { credentials, installationClients, octokit, octokitOptions, logger } = this.#state;
    if (credentials.kind !== 'app') return Promise.resolve(octokit);
    let client = installationClients.get(installationId);
    if (client === undefined) {
      // auth-app's factory hands over its own state (token cache included), so every installation client
      // shares one cache and tokens are refreshed before they expire.
      client = octokit
        .auth({
          type: 'installation',
          installationId,
          factory: (auth: Record<string, unknown>) =>
            new ProwOctokit({
              ...octokitOptions,
              logger: logger.child({ installationId }),
              authStrategy: createAppAuth,
              auth,
            }),
        })
        .then(
          (made) => made as ProwOctokit,
          (err: unknown) => {
            installationClients.delete(installationId);
            throw err;
          },
        );
      installationClients.set(installationId, client);
    }
    return client;
  }

  /** The App's installation id for `org/repo` (GET /repos/{owner}/{repo}/installation), cached for a while. */
  installationFor(org: string, repo: string): Promise<number> {
    const { credentials, installations, installationCacheMs, octokit } = this.#state;
    if (credentials.kind !== 'app') {
      const using = credentials.kind === 'token' ? 'GITHUB_TOKEN' : 'no credentials';
      const why = `installations exist only for a GitHub App, and this client uses ${using}. Use forRepo() instead.`;
      return Promise.reject(new ProwError('PROW_ERR_GITHUB_AUTH', why));
    }
    const key = `${org}/${repo}`.toLowerCase();
    const now = Date.now();
    const cached = installations.get(key);
    if (cached !== undefined && cached.expires > now) return cached.id;
    const id = octokit.rest.apps.getRepoInstallation({ owner: org, repo }).then(
      (res) => res.data.id,
      (err: unknown) => {
        installations.delete(key);
        if (isRequestError(err) && err.status === 404) {
          throw new ProwError('PROW_ERR_GITHUB_APP_NOT_INSTALLED', `${org}/${repo}`);
        }
        throw err;
      },
    );
    installations.set(key, { id, expires: now + installationCacheMs });
    return id;
  }

  /** An Octokit allowed to act on `org/repo`: its installation's for an App, the default one otherwise. */
  async forRepo(org: string, repo: string): Promise<ProwOctokit> {
    if (this.#state.credentials.kind !== 'app') return this.#state.octokit;
    return this.forInstallation(await this.installationFor(org, repo));
  }

  /**
   * A token for `git clone` over HTTPS of `org/repo`: the installation token for an App (cached and renewed
   * by auth-app), the personal token otherwise, undefined without credentials (anonymous clone).
   */
  async getInstallationToken(org: string, repo: string): Promise<string | undefined> {
    const { credentials, octokit } = this.#state;
    if (credentials.kind === 'token') return credentials.token;
    if (credentials.kind === 'none') return undefined;
    const installationId = await this.installationFor(org, repo);
    const auth = await octokit.auth({ type: 'installation', installationId });
    if (typeof auth !== 'object' || auth === null || typeof (auth as { token?: unknown }).token !== 'string') {
      throw new ProwError('PROW_ERR_GITHUB_AUTH', `GitHub minted no installation token for ${org}/${repo}.`);
    }
    return (auth as { token: string }).token;
  }
}

/** Builds the process's GitHub client. */
export function createGitHubClient(options: GitHubClientOptions): GitHubClient {
  return new GitHubClient(options);
}

/** Builds the GitHub client from the environment: credentials and base URL each decided in their one function. */
export function githubClientFromEnv(
  env: ProwEnv,
  logger: Logger,
  tuning: Pick<GitHubClientOptions, 'rateLimits' | 'retries' | 'installationCacheMs'> = {},
): GitHubClient {
  return createGitHubClient({ ...tuning, credentials: githubCredentialsFromEnv(env), baseUrl: githubBaseUrl(env), logger });
}
