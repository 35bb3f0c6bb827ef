import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { createKeyedLock } from './keyed-lock.ts';

describe('the keyed lock', () => {
  it('runs work of one key in turn, other keys alongside, and goes on after a failure', async () => {
    const lock = createKeyedLock();
    const events: string[] = [];
    const step = (name: string, ms: number, fail = false) => async (): Promise<string> => {
      events.push(`${name}+`);
      await sleep(ms);
      events.push(`${name}-`);
      if (fail) throw new Error(name);
      return name;
    };
    const results = await Promise.allSettled([
      lock.run('pr#1', step('a', 30, true)),
      lock.run('pr#1', step('b', 5)),
      lock.run('pr#2', step('c', 5)),
    ]);
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as Error).message))).toEqual(['a', 'b', 'c']);
    expect(events.indexOf('b+')).toBeGreaterThan(events.indexOf('a-'));
    expect(events.indexOf('c-')).toBeLessThan(events.indexOf('a-'));
    expect(lock.size).toBe(0);
  });
});
