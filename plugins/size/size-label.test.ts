import { describe, expect, it } from 'vitest';
import { sizeLabel, sizeThresholds } from './size-label.ts';

describe('sizeLabel', () => {
  it('puts each default boundary in the bigger size and the line before it in the smaller', () => {
    const t = sizeThresholds(undefined);
    const cases: [number, string][] = [
      [0, 'size/XS'],
      [9, 'size/XS'],
      [10, 'size/S'],
      [29, 'size/S'],
      [30, 'size/M'],
      [99, 'size/M'],
      [100, 'size/L'],
      [499, 'size/L'],
      [500, 'size/XL'],
      [999, 'size/XL'],
      [1000, 'size/XXL'],
      [250_000, 'size/XXL'],
    ];
    expect(cases.map(([lines]) => [lines, sizeLabel(lines, t)])).toEqual(cases);
  });

  it('takes thresholds from plugins.yaml, with Prow defaults for missing or zero ones', () => {
    expect(sizeThresholds({ s: 2, m: 0, xxl: 5000 })).toEqual({ s: 2, m: 30, l: 100, xl: 500, xxl: 5000 });
    const t = sizeThresholds({ s: 1, m: 2, l: 3, xl: 4, xxl: 5 });
    expect([0, 1, 2, 3, 4, 5].map((n) => sizeLabel(n, t))).toEqual(['size/XS', 'size/S', 'size/M', 'size/L', 'size/XL', 'size/XXL']);
  });
});
