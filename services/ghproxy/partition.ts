import { createHash } from 'node:crypto';

/** The partition of requests that carry no Authorization header. */
export const anonymousPartition = 'anonymous';

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** The credential of an Authorization header without its scheme, so `token X` and `Bearer X` are one credential. */
export function credentialOf(authorization: string | undefined): string | undefined {
  if (authorization === undefined) return undefined;
  const value = authorization.trim();
  const space = value.indexOf(' ');
  const credential = space === -1 ? value : value.slice(space + 1).trim();
  return credential === '' ? undefined : credential;
}

/** The `iss` claim of a JWT (a GitHub App's id), or undefined when the credential is no readable JWT. */
function jwtIssuer(credential: string): string | undefined {
  const parts = credential.split('.');
  if (parts.length !== 3 || parts[1] === undefined) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as { iss?: unknown };
    return typeof claims.iss === 'string' || typeof claims.iss === 'number' ? String(claims.iss) : undefined;
  } catch {
    return undefined;
  }
}

/** Who a request is, as the cache sees it: the partition its entries live in and the exact credential. */
export interface Caller {
  /** sha256 of the credential; for an App's JWT, of the App id (JWTs change every few minutes). */
  partition: string;
  /** sha256 of the whole credential: coalescing shares an answer only between identical credentials. */
  credentialHash: string;
  /** A short form of the partition for metric labels (Prow's `token_hash`). */
  tokenHash: string;
}

/**
 * The cache partition of a request, one per token as Prow's partitioningRoundTripper keeps them (so two
 * tokens never see or evict each other's entries). An App's JWTs share one partition per App: every hit is
 * revalidated upstream with the caller's own JWT, so an entry is only ever served to a caller GitHub let in.
 */
export function callerOf(authorization: string | undefined): Caller {
  const credential = credentialOf(authorization);
  if (credential === undefined) return { partition: anonymousPartition, credentialHash: anonymousPartition, tokenHash: anonymousPartition };
  const credentialHash = sha256(credential);
  const issuer = jwtIssuer(credential);
  const partition = issuer === undefined ? credentialHash : sha256(`github-app-jwt:${issuer}`);
  return { partition, credentialHash, tokenHash: partition.slice(0, 12) };
}

/** The partition a token's requests use, for callers that know the token (the App token equalizer). */
export function partitionOfToken(token: string): string {
  return sha256(token);
}
