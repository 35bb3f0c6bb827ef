import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../lib/seeded-random.ts';
import { boundedEditDistance } from './edit-distance.ts';

/** The textbook O(n·m) Levenshtein, to check the banded one against. */
function fullDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row.push(Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1)));
    }
    prev = row;
  }
  return prev[b.length] ?? 0;
}

function mutate(text: string, edits: number, random: () => number): string {
  let out = text;
  for (let e = 0; e < edits; e++) {
    const at = Math.floor(random() * (out.length + 1));
    const c = String.fromCharCode(97 + Math.floor(random() * 4));
    const op = random();
    out = op < 0.33 ? out.slice(0, at) + c + out.slice(at) : op < 0.66 ? out.slice(0, at) + out.slice(at + 1) : out.slice(0, at) + c + out.slice(at + 1);
  }
  return out;
}

describe('boundedEditDistance', () => {
  it('agrees with the full distance below the limit and answers the limit at or above it', () => {
    const random = seededRandom(7);
    for (let trial = 0; trial < 400; trial++) {
      const base = Array.from({ length: 20 + Math.floor(random() * 80) }, () => String.fromCharCode(97 + Math.floor(random() * 4))).join('');
      const other = mutate(base, Math.floor(random() * 15), random);
      const limit = 1 + Math.floor(random() * 12);
      const exact = fullDistance(base, other);
      expect(boundedEditDistance(base, other, limit), `${base} / ${other} limit ${limit}`).toBe(Math.min(exact, limit));
    }
  });

  it('counts the classic cases', () => {
    expect(boundedEditDistance('kitten', 'sitting', 10)).toBe(3);
    expect(boundedEditDistance('', 'abc', 10)).toBe(3);
    expect(boundedEditDistance('same text', 'same text', 1)).toBe(0);
    expect(boundedEditDistance('abc', 'abd', 1)).toBe(1);
    expect(boundedEditDistance('abc', 'xyz', 2)).toBe(2);
  });
});
