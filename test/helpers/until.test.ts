import { describe, expect, it } from 'vitest';
import { until } from './until.ts';

describe('until', () => {
  it('returns the first answer that is a value, sync or async', async () => {
    let n = 0;
    expect(await until('three tries', () => (++n >= 3 ? n : undefined), { everyMs: 1 })).toBe(3);
    expect(await until('a promise', () => Promise.resolve({ ok: 1 }))).toEqual({ ok: 1 });
  });

  it('names what it waited for, and what it saw, when it gives up', async () => {
    await expect(until('the moon', () => false, { timeoutMs: 30, everyMs: 5, seen: () => ['cheese'] })).rejects.toThrow('timed out waiting for the moon; saw ["cheese"]');
  });
});
