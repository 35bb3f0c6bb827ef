import { looksLikeJwt, verifyAppJwt } from '../apps/app-jwt.ts';
import type { Actor } from '../state/permissions.ts';
import type { EmulatorState } from '../state/state.ts';
import type { App } from '../state/types.ts';
import { GitHubError } from './github-error.ts';

/** Who a request is: a token's actor, an App by JWT, or nobody. */
export interface Identity {
  actor?: Actor;
  jwtApp?: App;
  /** The rate-limit bucket: the token itself, `app:<id>` for JWTs, undefined for anonymous callers. */
  key?: string;
}

/**
 * Reads `Authorization: token X` / `Bearer X` (and Basic with the token as password, as git and some
 * clients send it). A token GitHub would not know, or an expired installation token, is 401
 * `Bad credentials`; no header is an anonymous caller.
 */
export function authenticate(state: EmulatorState, header: string | undefined, now = Date.now()): Identity {
  if (header === undefined || header.trim() === '') return {};
  const m = /^(token|bearer|basic)\s+(\S+)$/i.exec(header.trim());
  if (!m?.[1] || !m[2]) throw new GitHubError(401, 'Bad credentials');
  let credential = m[2];
  if (m[1].toLowerCase() === 'basic') {
    const decoded = Buffer.from(credential, 'base64').toString('utf8');
    credential = decoded.slice(decoded.indexOf(':') + 1);
  } else if (m[1].toLowerCase() === 'bearer' && looksLikeJwt(credential)) {
    const app = verifyAppJwt(state, credential, Math.floor(now / 1000));
    return { jwtApp: app, key: `app:${app.id}` };
  }
  const token = state.tokens.get(credential);
  if (!token) throw new GitHubError(401, 'Bad credentials');
  if (token.expiresAt !== undefined && Date.parse(token.expiresAt) <= now) throw new GitHubError(401, 'Bad credentials');
  const account = state.accounts.get(token.accountId);
  if (!account) throw new GitHubError(401, 'Bad credentials');
  return { actor: { account, token }, key: token.token };
}
