import { createHash } from 'node:crypto';

/** triage hashes 4-grams into 64 buckets: small enough to compare every pair, fine enough to rank candidates. */
export const NGRAM_BUCKETS = 64;

/** The text's 4-gram counts, hashed into NGRAM_BUCKETS buckets (a rolling window of the last four chars). */
export function ngramCounts(text: string): Int32Array {
  const counts = new Int32Array(NGRAM_BUCKETS);
  let window = 0;
  for (let i = 0; i < text.length; i++) {
    window = ((window << 8) | (text.charCodeAt(i) & 0xff)) >>> 0;
    if (i >= 3) {
      const bucket = Math.imul(window, 0x9e3779b1) >>> 26;
      counts[bucket] = (counts[bucket] ?? 0) + 1;
    }
  }
  return counts;
}

/**
 * triage's cheap estimate of the edit distance: the L1 difference of the two count vectors over 4 (one edit
 * moves up to four 4-grams). Used to rank and skip candidates before the exact, bounded distance.
 */
export function ngramDistance(a: Int32Array, b: Int32Array): number {
  let sum = 0;
  for (let i = 0; i < NGRAM_BUCKETS; i++) sum += Math.abs((a[i] ?? 0) - (b[i] ?? 0));
  return sum / 4;
}

/** A cluster's id as triage makes it: the first 20 hex chars of the sha1 of its key's n-gram counts. */
export function ngramDigest(counts: Int32Array): string {
  return createHash('sha1').update(new Uint8Array(counts.buffer, counts.byteOffset, counts.byteLength)).digest('hex').slice(0, 20);
}
