import { describe, expect, it } from 'vitest';
import { readEnv } from '../env.ts';
import { isProwError } from '../errors.ts';
import { defaultGitHubApiUrl, githubBaseUrl } from './base-url.ts';

describe('githubBaseUrl', () => {
  it('is api.github.com by default', () => {
    expect(githubBaseUrl(readEnv({}))).toBe(defaultGitHubApiUrl);
  });

  it('follows GITHUB_API_URL for GitHub Enterprise or the emulator, without a trailing slash', () => {
    expect(githubBaseUrl(readEnv({ GITHUB_API_URL: 'https://ghe.example.com/api/v3/' }))).toBe('https://ghe.example.com/api/v3');
  });

  it('sends everything through GHPROXY_URL when it is set, even with GITHUB_API_URL', () => {
    const env = readEnv({ GITHUB_API_URL: 'https://ghe.example.com/api/v3', GHPROXY_URL: 'http://ghproxy.prow:8888' });
    expect(githubBaseUrl(env)).toBe('http://ghproxy.prow:8888');
  });

  it('names the variable when a URL is malformed', () => {
    let caught: unknown;
    try {
      githubBaseUrl(readEnv({ GHPROXY_URL: 'ghproxy:8888' }));
    } catch (err) {
      caught = err;
    }
    expect(isProwError(caught, 'PROW_ERR_ENV_INVALID')).toBe(true);
    expect((caught as Error).message).toContain('GHPROXY_URL');
  });
});
