import { createHmac, timingSafeEqual } from 'node:crypto';

/** True when `header` (`sha256=<hex>`) equals one of the allowed digests, compared in constant time. */
export function signatureMatches(header: string, digests: readonly Buffer[], allowed: readonly number[]): boolean {
  if (!header.startsWith('sha256=')) return false;
  const hex = header.slice('sha256='.length);
  if (!/^[0-9a-fA-F]{64}$/.test(hex)) return false;
  const given = Buffer.from(hex, 'hex');
  let ok = false;
  for (const i of allowed) {
    const digest = digests[i];
    // Every allowed key is compared, so the time taken does not depend on which one matched.
    if (digest !== undefined && timingSafeEqual(digest, given)) ok = true;
  }
  return ok;
}

/** The HMAC-SHA256 digest of `body` under each key, in the keys' order, for `signatureMatches`. */
export function digestsOf(body: Buffer, keys: readonly Buffer[]): Buffer[] {
  return keys.map((key) => createHmac('sha256', key).update(body).digest());
}
