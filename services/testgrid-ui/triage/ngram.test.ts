import { describe, expect, it } from 'vitest';
import { NGRAM_BUCKETS, ngramCounts, ngramDigest, ngramDistance } from './ngram.ts';

describe('ngram counts', () => {
  it('counts one 4-gram per position', () => {
    const counts = ngramCounts('connection refused');
    expect(counts.length).toBe(NGRAM_BUCKETS);
    expect(counts.reduce((s, c) => s + c, 0)).toBe('connection refused'.length - 3);
  });

  it('puts near texts near each other and far texts far apart', () => {
    const a = ngramCounts('dial tcp UNIQ1: connect: connection refused while listing pods');
    const near = ngramCounts('dial tcp UNIQ1: connect: connection reset while listing pods');
    const far = ngramCounts('expected 3 replicas to be available, got 1 after the rollout of web');
    expect(ngramDistance(a, a)).toBe(0);
    expect(ngramDistance(a, near)).toBeLessThan(ngramDistance(a, far));
  });

  it('gives one text one 20-hex-char digest, and another text another', () => {
    const id = ngramDigest(ngramCounts('timed out waiting for the condition'));
    expect(id).toMatch(/^[0-9a-f]{20}$/);
    expect(ngramDigest(ngramCounts('timed out waiting for the condition'))).toBe(id);
    expect(ngramDigest(ngramCounts('timed out waiting for the pod'))).not.toBe(id);
  });
});
