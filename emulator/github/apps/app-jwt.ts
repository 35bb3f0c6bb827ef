import { createPublicKey, verify } from 'node:crypto';
import { GitHubError } from '../http/github-error.ts';
import type { EmulatorState } from '../state/state.ts';
import type { App } from '../state/types.ts';

function unauthorized(message: string): GitHubError {
  return new GitHubError(401, message);
}

function decodePart(part: string): Record<string, unknown> {
  const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
  if (value === null || typeof value !== 'object') throw new Error('not an object');
  return value as Record<string, unknown>;
}

/** True when a bearer credential is shaped like a JWT (three base64url parts) rather than a token. */
export function looksLikeJwt(credential: string): boolean {
  return /^[\w-]+\.[\w-]+\.[\w-]+$/.test(credential);
}

/**
 * Checks a GitHub App JWT as GitHub does: RS256 signed with the App's key, `iss` the App id (or client
 * id), `exp` in the future and at most ten minutes after `iat`. Throws 401 with GitHub's wording.
 */
export function verifyAppJwt(state: EmulatorState, jwt: string, nowSeconds = Math.floor(Date.now() / 1000)): App {
  const [h, p, s] = jwt.split('.');
  if (h === undefined || p === undefined || s === undefined) throw unauthorized('A JSON web token could not be decoded');
  let header: Record<string, unknown>;
  let claims: Record<string, unknown>;
  try {
    header = decodePart(h);
    claims = decodePart(p);
  } catch {
    throw unauthorized('A JSON web token could not be decoded');
  }
  if (header.alg !== 'RS256') throw unauthorized('A JSON web token could not be decoded');
  const iss = claims.iss;
  const app = [...state.apps.values()].find((a) => String(a.id) === String(iss) || a.slug === iss);
  if (!app) throw unauthorized('A JSON web token could not be decoded');
  const ok = verify('RSA-SHA256', Buffer.from(`${h}.${p}`), createPublicKey(app.publicKeyPem), Buffer.from(s, 'base64url'));
  if (!ok) throw unauthorized('A JSON web token could not be decoded');
  const { iat, exp } = claims;
  if (typeof iat !== 'number' || !Number.isInteger(iat)) {
    throw unauthorized("'Issued at' claim ('iat') must be an Integer representing the time that the assertion was issued");
  }
  if (typeof exp !== 'number' || !Number.isInteger(exp)) {
    throw unauthorized("'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires");
  }
  if (iat > nowSeconds + 60) throw unauthorized("'Issued at' claim ('iat') must be an Integer representing the time that the assertion was issued");
  if (exp - iat > 600) throw unauthorized("'Expiration time' claim ('exp') is too far in the future");
  if (exp <= nowSeconds) throw unauthorized("'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires");
  return app;
}
