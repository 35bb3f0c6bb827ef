import { boundedEditDistance } from './edit-distance.ts';
import { ngramDistance } from './ngram.ts';

/** Something clustered under a normalised key: a per-test cluster or a global one. */
export interface Keyed {
  readonly key: string;
  readonly grams: Int32Array;
}

/** triage allows 10% of the two texts' average length in edits. */
export const MATCH_FRACTION = 0.1;

/** triage runs at most this many exact distances per lookup, nearest n-gram estimate first. */
export const MAX_PRECISE_CHECKS = 8;

/** The edits two keys may differ by and still match; at 1 or below only an identical key matches. */
export function matchLimit(a: number, b: number): number {
  return Math.floor(((a + b) / 2) * MATCH_FRACTION);
}

/**
 * Keys by exact text and by length. A fuzzy lookup only looks at keys whose length is within the limit (the
 * edit distance is at least the length difference), skips those whose n-gram estimate is past the limit, and
 * runs the bounded edit distance on the nearest few, as triage's find_match does.
 */
export class KeyIndex<T extends Keyed> {
  private readonly exact = new Map<string, T>();
  /** Sorted by key length, so a lookup reads one slice. */
  private readonly byLength: T[] = [];

  get size(): number {
    return this.exact.size;
  }

  get(key: string): T | undefined {
    return this.exact.get(key);
  }

  add(item: T): void {
    if (this.exact.has(item.key)) return;
    this.exact.set(item.key, item);
    const at = this.lowerBound(item.key.length + 1);
    this.byLength.splice(at, 0, item);
  }

  /** The identical key, else the first near one by triage's rule, else undefined. */
  find(key: string, grams: Int32Array): T | undefined {
    return this.exact.get(key) ?? this.findNear(key, grams);
  }

  private findNear(key: string, grams: Int32Array): T | undefined {
    const len = key.length;
    // |len - other| < matchLimit(len, other) bounds other to [len * 0.9/1.1, len * 1.1/0.9].
    const from = this.lowerBound(Math.floor((len * (1 - MATCH_FRACTION / 2)) / (1 + MATCH_FRACTION / 2)));
    const to = this.lowerBound(Math.ceil((len * (1 + MATCH_FRACTION / 2)) / (1 - MATCH_FRACTION / 2)) + 1);
    const candidates: { dist: number; item: T; limit: number }[] = [];
    for (let i = from; i < to; i++) {
      const item = this.byLength[i];
      if (item === undefined) break;
      const limit = matchLimit(len, item.key.length);
      if (limit <= 1 || Math.abs(len - item.key.length) >= limit) continue;
      const dist = ngramDistance(grams, item.grams);
      if (dist > limit) continue;
      candidates.push({ dist, item, limit });
    }
    candidates.sort((a, b) => a.dist - b.dist);
    for (const { item, limit } of candidates.slice(0, MAX_PRECISE_CHECKS)) {
      if (boundedEditDistance(key, item.key, limit) < limit) return item;
    }
    return undefined;
  }

  /** The first position whose key is at least `length` long. */
  private lowerBound(length: number): number {
    let lo = 0;
    let hi = this.byLength.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.byLength[mid]?.key.length ?? 0) < length) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
