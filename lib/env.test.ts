import { describe, expect, it } from 'vitest';
import { readEnv } from './env.ts';
import { isProwError } from './errors.ts';

function refusal(env: NodeJS.ProcessEnv): unknown {
  try {
    readEnv(env);
  } catch (err) {
    return err;
  }
  return undefined;
}

describe('readEnv', () => {
  it('defaults Redis to the local server under the prow prefix, PROW_ names winning', () => {
    expect(readEnv({})).toMatchObject({ redisUrl: 'redis://127.0.0.1:6379', redisPrefix: 'prow', logLevel: 'info', port: undefined });
    expect(readEnv({ REDIS_URL: 'redis://a:1', PROW_REDIS_URL: 'redis://b:2', PROW_REDIS_PREFIX: 'p2' })).toMatchObject({ redisUrl: 'redis://b:2', redisPrefix: 'p2' });
  });

  it('leaves stale aging off unless STALE_REPOS names repositories', () => {
    expect(readEnv({}).stale).toEqual({ repos: [], dryRun: false, periods: {}, every: undefined });
  });

  it('reads stale aging as repositories, Go durations and a dry-run switch', () => {
    const stale = readEnv({
      STALE_REPOS: 'acme/widgets, acme/gadgets',
      STALE_AFTER: '2160h',
      STALE_ROTTEN_AFTER: '720h',
      STALE_CLOSE_AFTER: '1h30m',
      STALE_EVERY: '10m',
      STALE_DRY_RUN: 'true',
    }).stale;
    expect(stale).toEqual({
      repos: ['acme/widgets', 'acme/gadgets'],
      dryRun: true,
      periods: { stale: 90 * 86_400_000, rotten: 30 * 86_400_000, close: 90 * 60_000 },
      every: 10 * 60_000,
    });
  });

  it('runs all of hook unless HOOK_ROLE picks the intake or the workers', () => {
    expect(readEnv({}).hookRole).toBe('all');
    expect(readEnv({ HOOK_ROLE: 'intake' }).hookRole).toBe('intake');
    expect(readEnv({ HOOK_ROLE: ' workers ' }).hookRole).toBe('workers');
  });

  it('refuses a HOOK_ROLE it does not know, naming the variable and the three roles', () => {
    const err = refusal({ HOOK_ROLE: 'worker' });
    expect(isProwError(err, 'PROW_ERR_ENV_INVALID')).toBe(true);
    expect(String(err)).toContain('HOOK_ROLE');
    expect(String(err)).toContain('all, intake, workers');
  });

  it.each([
    [{ STALE_REPOS: 'widgets' }, 'STALE_REPOS'],
    [{ STALE_AFTER: '90d' }, 'STALE_AFTER'],
    [{ STALE_EVERY: '0' }, 'STALE_EVERY'],
    [{ STALE_DRY_RUN: 'maybe' }, 'STALE_DRY_RUN'],
    [{ PORT: 'eighty' }, 'PORT'],
    [{ REDIS_URL: 'http://127.0.0.1:6379' }, 'REDIS_URL'],
  ])('refuses %o, naming %s', (env, name) => {
    const err = refusal(env);
    expect(isProwError(err, 'PROW_ERR_ENV_INVALID')).toBe(true);
    expect(String(err)).toContain(name);
  });
});
