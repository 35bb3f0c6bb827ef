/**
 * Prow's `X-Cache-Mode` values (pkg/ghcache), one per response: how the proxy answered and whether the
 * answer cost the token anything upstream.
 */
export const cacheModes = ['ERROR', 'NO-STORE', 'MISS', 'CHANGED', 'SKIP', 'COALESCED', 'REVALIDATED'] as const;

export type CacheMode = (typeof cacheModes)[number];

/** The response header that names the mode, as Prow's clients read it. */
export const cacheModeHeader = 'x-cache-mode';

/** Modes that spent nothing of the token's budget; Prow's clients refund their throttle for them. */
export function cacheModeIsFree(mode: CacheMode): boolean {
  return mode === 'COALESCED' || mode === 'REVALIDATED' || mode === 'ERROR';
}
