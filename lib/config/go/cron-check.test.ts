import { describe, expect, it } from 'vitest';
import { cronError } from './cron-check.ts';

describe('cronError', () => {
  it('accepts standard five-field lines and the @ descriptors', () => {
    for (const ok of ['*/5 * * * *', '0 6 * * 1-5', '30 2 1 * *', '@daily', '@every 1h30m', 'TZ=UTC 0 0 * * *']) {
      expect(cronError(ok)).toBeUndefined();
    }
  });

  it('explains what is wrong', () => {
    expect(cronError('61 * * * *')).toMatch(/^invalid cron "61 \* \* \* \*": /);
    expect(cronError('* * * *')).toMatch(/want 5 fields/);
    expect(cronError('0 0 * * * *')).toMatch(/got 6/);
    expect(cronError('@fortnightly')).toMatch(/unknown cron descriptor/);
    expect(cronError('@every 1day')).toMatch(/invalid duration/);
  });
});
