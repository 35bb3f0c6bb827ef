import { describe, expect, it } from 'vitest';
import { AppTokenEqualizer } from './app-token-equalizer.ts';
import { metricPath, metricUserAgent } from './metric-path.ts';
import { anonymousPartition, callerOf, partitionOfToken } from './partition.ts';

function jwt(claims: Record<string, unknown>, signature: string): string {
  const part = (o: unknown): string => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${part({ alg: 'RS256' })}.${part(claims)}.${signature}`;
}

describe('callerOf', () => {
  it('gives one token one partition, whatever the scheme, and two tokens two', () => {
    const a = callerOf('token ghp_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa');
    expect(callerOf('Bearer ghp_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa')).toEqual(a);
    expect(a.partition).toBe(partitionOfToken('ghp_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'));
    expect(callerOf('token ghp_bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb').partition).not.toBe(a.partition);
    expect(a.tokenHash).toBe(a.partition.slice(0, 12));
    expect(callerOf(undefined).partition).toBe(anonymousPartition);
    expect(callerOf('   ').partition).toBe(anonymousPartition);
  });

  it('keeps an App\'s JWTs in one partition but never lets two JWTs share a coalesced answer', () => {
    const one = callerOf(`Bearer ${jwt({ iss: 42, iat: 1 }, 'sig-one')}`);
    const two = callerOf(`Bearer ${jwt({ iss: 42, iat: 2 }, 'sig-two')}`);
    const other = callerOf(`Bearer ${jwt({ iss: 43, iat: 1 }, 'sig-one')}`);
    expect(two.partition).toBe(one.partition);
    expect(two.credentialHash).not.toBe(one.credentialHash);
    expect(other.partition).not.toBe(one.partition);
  });
});

describe('metricPath', () => {
  it('turns paths into Prow-style routes with few values', () => {
    expect(metricPath('/repos/kubernetes/test-infra/pulls/123/files?per_page=100')).toBe('/repos/:owner/:repo/pulls/:pullId/files');
    expect(metricPath('/repos/k/t/issues/5/labels/kind%2Fbug')).toBe('/repos/:owner/:repo/issues/:issueId/labels/:label');
    expect(metricPath('/repos/k/t/issues/comments/99')).toBe('/repos/:owner/:repo/issues/comments/:commentId');
    expect(metricPath('/repos/k/t/contents/a/b/OWNERS')).toBe('/repos/:owner/:repo/contents/:path');
    expect(metricPath('/repos/k/t/git/refs/heads/main')).toBe('/repos/:owner/:repo/git/refs/:ref');
    expect(metricPath('/repos/k/t/commits/0123456789abcdef0123456789abcdef01234567/status')).toBe('/repos/:owner/:repo/commits/:sha/status');
    expect(metricPath('/orgs/kubernetes/members/alice')).toBe('/orgs/:org/members/:user');
    expect(metricPath('/repos/k')).toBe('/repos/:owner');
    expect(metricPath('/graphql')).toBe('/graphql');
    expect(metricPath('/')).toBe('/');
  });

  it('keeps the product of a User-Agent and drops its versions', () => {
    expect(metricUserAgent('prow-ts/0.1.0 octokit-core.js/7.0.0 Node.js/20')).toBe('prow-ts');
    expect(metricUserAgent(undefined)).toBe('unknown');
    expect(metricUserAgent('hook')).toBe('hook');
  });
});

describe('AppTokenEqualizer', () => {
  const minted = (token: string, expiresAt: number): Buffer => Buffer.from(JSON.stringify({ token, expires_at: new Date(expiresAt).toISOString(), permissions: {} }));

  it('hands out the first token until a minute before it expires, then the newest one', () => {
    let now = 0;
    const eq = new AppTokenEqualizer({ now: () => now });
    const hour = 3_600_000;
    expect(eq.equalize('7', minted('first', hour))).toMatchObject({ token: 'first', shared: false });
    now = 10_000;
    expect(eq.equalize('7', minted('second', hour + 10_000))).toMatchObject({ token: 'first', shared: true });
    expect(eq.equalize('8', minted('other-installation', hour))).toMatchObject({ token: 'other-installation', shared: false });
    now = hour - 30_000;
    expect(eq.equalize('7', minted('third', 2 * hour))).toMatchObject({ token: 'third', shared: false });
  });

  it('leaves alone a request for a narrowed token, and anything that is not a minting', () => {
    const eq = new AppTokenEqualizer();
    expect(eq.installationOf('POST', '/app/installations/7/access_tokens', undefined)).toBe('7');
    expect(eq.installationOf('POST', '/app/installations/7/access_tokens', Buffer.from('{}'))).toBe('7');
    expect(eq.installationOf('POST', '/app/installations/7/access_tokens', Buffer.from('{"repositories":["a"]}'))).toBeUndefined();
    expect(eq.installationOf('GET', '/app/installations/7/access_tokens', undefined)).toBeUndefined();
    expect(eq.installationOf('POST', '/app/installations/7', undefined)).toBeUndefined();
    expect(eq.equalize('7', Buffer.from('not json'))).toBeUndefined();
  });
});
