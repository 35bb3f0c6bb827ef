import { describe, expect, it } from 'vitest';
import { parseGoDuration } from './go-duration.ts';

describe('parseGoDuration', () => {
  it('parses what Go parses', () => {
    expect(parseGoDuration('1h30m')).toBe(5_400_000);
    expect(parseGoDuration('24h')).toBe(86_400_000);
    expect(parseGoDuration('1.5h')).toBe(5_400_000);
    expect(parseGoDuration('300ms')).toBe(300);
    expect(parseGoDuration('0')).toBe(0);
    expect(parseGoDuration('0s')).toBe(0);
    expect(parseGoDuration('-2m')).toBe(-120_000);
  });

  it('refuses what Go refuses', () => {
    for (const bad of ['', '1', '48hours', '1d', 'h', '1h 30m', '1.h.5']) expect(parseGoDuration(bad)).toBeUndefined();
  });
});
