import { describe, expect, it } from 'vitest';
import { CronSyntaxError, parseCron } from './cron.ts';

const at = (iso: string): Date => new Date(iso);

/** The next `count` firings of `expression` after `from`, as ISO strings. */
function firings(expression: string, from: string, count = 3): string[] {
  const schedule = parseCron(expression);
  const out: string[] = [];
  let t = at(from);
  for (let i = 0; i < count; i++) {
    const next = schedule.next(t);
    if (next === undefined) break;
    out.push(next.toISOString());
    t = next;
  }
  return out;
}

describe('parseCron', () => {
  it('fires every minute for * * * * *, strictly after the time given', () => {
    expect(firings('* * * * *', '2026-03-01T10:00:00.000Z')).toEqual([
      '2026-03-01T10:01:00.000Z',
      '2026-03-01T10:02:00.000Z',
      '2026-03-01T10:03:00.000Z',
    ]);
    expect(firings('* * * * *', '2026-03-01T10:00:59.900Z', 1)).toEqual(['2026-03-01T10:01:00.000Z']);
  });

  it('reads lists, ranges and steps', () => {
    expect(firings('0,30 9-10 * * *', '2026-03-01T08:00:00Z', 5)).toEqual([
      '2026-03-01T09:00:00.000Z',
      '2026-03-01T09:30:00.000Z',
      '2026-03-01T10:00:00.000Z',
      '2026-03-01T10:30:00.000Z',
      '2026-03-02T09:00:00.000Z',
    ]);
    expect(firings('*/20 * * * *', '2026-03-01T08:05:00Z')).toEqual([
      '2026-03-01T08:20:00.000Z',
      '2026-03-01T08:40:00.000Z',
      '2026-03-01T09:00:00.000Z',
    ]);
    expect(firings('10-30/10 1 * * *', '2026-03-01T00:00:00Z', 4)).toEqual([
      '2026-03-01T01:10:00.000Z',
      '2026-03-01T01:20:00.000Z',
      '2026-03-01T01:30:00.000Z',
      '2026-03-02T01:10:00.000Z',
    ]);
    // `n/step` runs from n to the end of the field.
    expect(firings('45/5 0 * * *', '2026-03-01T00:00:00Z', 4)).toEqual([
      '2026-03-01T00:45:00.000Z',
      '2026-03-01T00:50:00.000Z',
      '2026-03-01T00:55:00.000Z',
      '2026-03-02T00:45:00.000Z',
    ]);
  });

  it('takes month and weekday names in any case, and ranges of them', () => {
    // 2026-03-06 is a Friday.
    expect(firings('0 12 * * MON-fri', '2026-03-06T13:00:00Z', 2)).toEqual(['2026-03-09T12:00:00.000Z', '2026-03-10T12:00:00.000Z']);
    expect(firings('0 0 1 jan,JUL *', '2026-03-01T00:00:00Z', 2)).toEqual(['2026-07-01T00:00:00.000Z', '2027-01-01T00:00:00.000Z']);
    expect(firings('0 0 * * sun', '2026-03-01T00:00:00Z', 1)).toEqual(['2026-03-08T00:00:00.000Z']);
  });

  it('matches either day field when both are restricted, both when one is a star', () => {
    // The 13th, or any Friday (Vixie cron's OR).
    expect(firings('0 0 13 * 5', '2026-03-01T00:00:00Z', 3)).toEqual([
      '2026-03-06T00:00:00.000Z',
      '2026-03-13T00:00:00.000Z',
      '2026-03-20T00:00:00.000Z',
    ]);
    // Day of month starred: weekdays only.
    expect(firings('0 0 * * 5', '2026-03-01T00:00:00Z', 2)).toEqual(['2026-03-06T00:00:00.000Z', '2026-03-13T00:00:00.000Z']);
    // `*/2` is not a bare star: odd days OR Fridays.
    expect(firings('0 0 */2 * 5', '2026-03-01T00:00:00Z', 4)).toEqual([
      '2026-03-03T00:00:00.000Z',
      '2026-03-05T00:00:00.000Z',
      '2026-03-06T00:00:00.000Z',
      '2026-03-07T00:00:00.000Z',
    ]);
  });

  it('crosses month and year ends, and finds leap days', () => {
    expect(firings('30 23 31 * *', '2026-04-01T00:00:00Z', 2)).toEqual(['2026-05-31T23:30:00.000Z', '2026-07-31T23:30:00.000Z']);
    expect(firings('0 0 29 2 *', '2026-03-01T00:00:00Z', 1)).toEqual(['2028-02-29T00:00:00.000Z']);
    expect(parseCron('0 0 30 2 *').next(at('2026-01-01T00:00:00Z'))).toBeUndefined();
  });

  it('knows the @ descriptors', () => {
    expect(firings('@hourly', '2026-03-01T10:15:00Z', 2)).toEqual(['2026-03-01T11:00:00.000Z', '2026-03-01T12:00:00.000Z']);
    expect(firings('@daily', '2026-03-01T10:15:00Z', 1)).toEqual(['2026-03-02T00:00:00.000Z']);
    expect(firings('@midnight', '2026-03-01T10:15:00Z', 1)).toEqual(['2026-03-02T00:00:00.000Z']);
    expect(firings('@weekly', '2026-03-02T10:15:00Z', 1)).toEqual(['2026-03-08T00:00:00.000Z']);
    expect(firings('@monthly', '2026-03-02T10:15:00Z', 1)).toEqual(['2026-04-01T00:00:00.000Z']);
    expect(firings('@yearly', '2026-03-02T10:15:00Z', 1)).toEqual(['2027-01-01T00:00:00.000Z']);
    expect(firings('@annually', '2026-03-02T10:15:00Z', 1)).toEqual(['2027-01-01T00:00:00.000Z']);
    expect(parseCron('@hourly').firesOnAdd).toBe(false);
  });

  it('runs @every from the time given, in whole seconds, and fires it on add', () => {
    const every = parseCron('@every 1m30s');
    expect(every.firesOnAdd).toBe(true);
    expect(every.next(at('2026-03-01T10:00:00.700Z'))?.toISOString()).toBe('2026-03-01T10:01:30.000Z');
    expect(parseCron('@every 10ms').next(at('2026-03-01T10:00:00Z'))?.toISOString()).toBe('2026-03-01T10:00:01.000Z');
  });

  it.each([
    ['* * * *', /want 5/],
    ['0 0 * * * *', /want 5/],
    ['60 * * * *', /minute 60 is above 59/],
    ['* 24 * * *', /hour 24/],
    ['* * 0 * *', /day of month 0 is below 1/],
    ['* * * 13 *', /month 13/],
    ['* * * * 7', /day of week 7 is above 6/],
    ['5-1 * * * *', /starts after it ends/],
    ['*/0 * * * *', /step must be positive/],
    ['1-2-3 * * * *', /too many hyphens/],
    ['*/2/3 * * * *', /too many slashes/],
    ['1,,2 * * * *', /invalid minute/],
    ['* * * foo *', /invalid month "foo"/],
    ['-1 * * * *', /invalid minute/],
    ['@fortnightly', /unknown cron descriptor/],
    ['@every soon', /invalid duration/],
    ['TZ=Europe/Berlin 0 * * * *', /time zone/],
    ['CRON_TZ=UTC 0 * * * *', /time zone/],
  ])('refuses %j', (expression, message) => {
    expect(() => parseCron(expression)).toThrow(CronSyntaxError);
    expect(() => parseCron(expression)).toThrow(message);
  });
});
