import { describe, expect, it } from 'vitest';
import { readEnv } from '../env.ts';
import { isProwError } from '../errors.ts';
import { githubCredentialsFromEnv } from './credentials.ts';

const pem = '-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----';

function credentials(vars: Record<string, string>) {
  return githubCredentialsFromEnv(readEnv(vars));
}

function codeAndMessage(vars: Record<string, string>): { code: string; message: string } {
  try {
    credentials(vars);
  } catch (err) {
    if (isProwError(err)) return { code: err.code, message: err.message };
    throw err;
  }
  throw new Error('expected a ProwError');
}

describe('githubCredentialsFromEnv', () => {
  it('uses GITHUB_TOKEN when no App is configured', () => {
    expect(credentials({ GITHUB_TOKEN: 'ghp_abc' })).toEqual({ kind: 'token', token: 'ghp_abc' });
  });

  it('is anonymous with nothing set', () => {
    expect(credentials({})).toEqual({ kind: 'none' });
  });

  it('prefers a complete App over GITHUB_TOKEN and turns escaped newlines of the key into real ones', () => {
    const creds = credentials({
      GITHUB_TOKEN: 'ghp_abc',
      GITHUB_APP_ID: '42',
      GITHUB_APP_PRIVATE_KEY: pem.replace(/\n/g, '\\n'),
      GITHUB_APP_INSTALLATION_ID: '7',
    });
    expect(creds).toEqual({ kind: 'app', appId: '42', privateKey: pem, installationId: 7 });
  });

  it('names GITHUB_APP_PRIVATE_KEY when only GITHUB_APP_ID is set', () => {
    const { code, message } = codeAndMessage({ GITHUB_APP_ID: '42', GITHUB_TOKEN: 'ghp_abc' });
    expect(code).toBe('PROW_ERR_GITHUB_AUTH');
    expect(message).toContain('GITHUB_APP_PRIVATE_KEY is not');
  });

  it('names GITHUB_APP_ID when only the private key is set', () => {
    const { code, message } = codeAndMessage({ GITHUB_APP_PRIVATE_KEY: pem });
    expect(code).toBe('PROW_ERR_GITHUB_AUTH');
    expect(message).toContain('GITHUB_APP_ID is not');
  });

  it('refuses an installation id without an App', () => {
    expect(codeAndMessage({ GITHUB_APP_INSTALLATION_ID: '7', GITHUB_TOKEN: 'ghp_abc' }).code).toBe('PROW_ERR_GITHUB_AUTH');
  });

  it('refuses an App id that is not a number', () => {
    expect(codeAndMessage({ GITHUB_APP_ID: 'my-app', GITHUB_APP_PRIVATE_KEY: pem }).code).toBe('PROW_ERR_ENV_INVALID');
  });
});
