import type { ProwEnv } from '../env.ts';
import { ProwError } from '../errors.ts';

/** Where GitHub's REST API lives when nothing says otherwise. */
export const defaultGitHubApiUrl = 'https://api.github.com';

/**
 * The one place that decides where GitHub calls go: GHPROXY_URL when set (so every REST and GraphQL call,
 * App token minting included, is cached by ghproxy), else GITHUB_API_URL (GitHub Enterprise or the
 * emulator), else api.github.com. GraphQL is then served at `<base>/graphql`, or `<host>/api/graphql` for a
 * GitHub Enterprise `/api/v3` base.
 */
export function githubBaseUrl(env: Pick<ProwEnv, 'githubApiUrl' | 'ghproxyUrl'>): string {
  if (env.ghproxyUrl !== undefined) return checkedUrl('GHPROXY_URL', env.ghproxyUrl);
  if (env.githubApiUrl !== undefined) return checkedUrl('GITHUB_API_URL', env.githubApiUrl);
  return defaultGitHubApiUrl;
}

function checkedUrl(name: string, value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ProwError('PROW_ERR_ENV_INVALID', name, `"${value}" is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ProwError('PROW_ERR_ENV_INVALID', name, `"${value}" must start with http:// or https://`);
  }
  return value.replace(/\/+$/, '');
}
