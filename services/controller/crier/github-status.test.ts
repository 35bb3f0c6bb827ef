import { describe, expect, it } from 'vitest';
import { githubStateFor, statusDescription, statusDescriptionMaxBytes } from './github-status.ts';

const baseSha = '0123456789abcdef0123456789abcdef01234567';
const bytes = (s: string): number => Buffer.byteLength(s, 'utf8');

describe('commit status mapping', () => {
  it('maps job states as Prow does: waiting is pending, aborted is a failure', () => {
    const states = ['scheduling', 'triggered', 'pending', 'success', 'failure', 'aborted', 'error'] as const;
    expect(states.map(githubStateFor)).toEqual(['pending', 'pending', 'pending', 'success', 'failure', 'failure', 'error']);
  });
});

describe('status descriptions', () => {
  it('pads with U+2001 before the BaseSHA suffix as Prow counts it, staying within 140 bytes', () => {
    const d = statusDescription('Job succeeded.', baseSha);
    // 14 + 49 = 63 bytes unpadded; Prow adds one 3-byte pad while i < 140 - (63 + 3i): 20 pads.
    expect(d).toBe(`Job succeeded.${'\u2001'.repeat(20)} BaseSHA:${baseSha}`);
    expect(bytes(d)).toBe(123);
    expect(statusDescription('', baseSha)).toBe(`${'\u2001'.repeat(23)} BaseSHA:${baseSha}`);
  });

  it('elides the middle of a long description and keeps the suffix whole', () => {
    const long = `${'a'.repeat(100)}${'z'.repeat(100)}`;
    const d = statusDescription(long, baseSha);
    // 140 - 49 = 91 bytes for the text: 43 from each end around " ... ".
    expect(d).toBe(`${'a'.repeat(43)} ... ${'z'.repeat(43)} BaseSHA:${baseSha}`);
    expect(bytes(d)).toBe(statusDescriptionMaxBytes);
  });

  it('cuts to 140 bytes without a base SHA, never inside a character', () => {
    expect(statusDescription('x'.repeat(141), undefined)).toBe(`${'x'.repeat(67)} ... ${'x'.repeat(67)}`);
    expect(statusDescription('Job triggered.', undefined)).toBe('Job triggered.');
    const d = statusDescription('é'.repeat(100), baseSha);
    expect(bytes(d)).toBeLessThanOrEqual(statusDescriptionMaxBytes);
    expect(d).toBe(`${'é'.repeat(21)} ... ${'é'.repeat(21)} BaseSHA:${baseSha}`);
    expect(d).not.toContain('\uFFFD');
  });
});
