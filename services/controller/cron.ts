import { parseGoDuration } from '../../lib/config/index.ts';

/** A parsed cron schedule, evaluated in UTC as Prow's horologium evaluates every periodic's `cron`. */
export interface CronSchedule {
  /** The first firing strictly after `after`, or undefined when none comes within five years (`0 0 30 2 *`). */
  next(after: Date): Date | undefined;
  /** True for `@every <duration>`, which Prow fires once as soon as the schedule is added. */
  firesOnAdd: boolean;
}

/** Thrown by `parseCron` for a schedule Prow's cron library would refuse. */
export class CronSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CronSyntaxError';
  }
}

interface FieldBounds {
  name: string;
  min: number;
  max: number;
  names?: readonly string[];
}

const monthNames = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const dayNames = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

const minuteField: FieldBounds = { name: 'minute', min: 0, max: 59 };
const hourField: FieldBounds = { name: 'hour', min: 0, max: 23 };
const domField: FieldBounds = { name: 'day of month', min: 1, max: 31 };
// Month names map from 1 (jan) and day names from 0 (sun), as their numbers do.
const monthField: FieldBounds = { name: 'month', min: 1, max: 12, names: ['', ...monthNames] };
const dowField: FieldBounds = { name: 'day of week', min: 0, max: 6, names: dayNames };

const descriptors: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

/** One field's allowed values, and whether it was written as a bare `*` or `?` (which changes how days combine). */
interface Field {
  values: ReadonlySet<number>;
  star: boolean;
}

const minuteMs = 60_000;
const horizonYears = 5;

function parseValue(text: string, bounds: FieldBounds, whole: string): number {
  const named = text === '' ? -1 : (bounds.names?.indexOf(text.toLowerCase()) ?? -1);
  if (named >= 0) return named;
  if (!/^\d+$/.test(text)) throw new CronSyntaxError(`invalid ${bounds.name} "${text}" in "${whole}"`);
  return Number(text);
}

/** One comma-separated part: `*`, `?`, `n`, `a-b`, each optionally `/step`; `n/step` runs from n to the field's maximum. */
function parsePart(part: string, bounds: FieldBounds, whole: string): Field {
  const slashes = part.split('/');
  if (slashes.length > 2) throw new CronSyntaxError(`too many slashes in ${bounds.name} "${part}" of "${whole}"`);
  const [range = '', stepText] = slashes;
  const ends = range.split('-');
  if (ends.length > 2) throw new CronSyntaxError(`too many hyphens in ${bounds.name} "${part}" of "${whole}"`);
  let start: number;
  let end: number;
  let star = false;
  if (range === '*' || range === '?') {
    start = bounds.min;
    end = bounds.max;
    star = true;
  } else {
    start = parseValue(ends[0] ?? '', bounds, whole);
    end = ends[1] === undefined ? start : parseValue(ends[1], bounds, whole);
  }
  let step = 1;
  if (stepText !== undefined) {
    if (!/^\d+$/.test(stepText)) throw new CronSyntaxError(`invalid step "${stepText}" in ${bounds.name} of "${whole}"`);
    step = Number(stepText);
    if (ends.length === 1) end = bounds.max;
    // `*/2` is a list of values, not "any": only a bare star (or `*/1`) makes the day fields combine with AND.
    if (step > 1) star = false;
  }
  if (start < bounds.min) throw new CronSyntaxError(`${bounds.name} ${String(start)} is below ${String(bounds.min)} in "${whole}"`);
  if (end > bounds.max) throw new CronSyntaxError(`${bounds.name} ${String(end)} is above ${String(bounds.max)} in "${whole}"`);
  if (start > end) throw new CronSyntaxError(`${bounds.name} range ${part} starts after it ends in "${whole}"`);
  if (step === 0) throw new CronSyntaxError(`${bounds.name} step must be positive in "${whole}"`);
  const values = new Set<number>();
  for (let v = start; v <= end; v += step) values.add(v);
  return { values, star };
}

function parseField(text: string, bounds: FieldBounds, whole: string): Field {
  const values = new Set<number>();
  let star = false;
  for (const part of text.split(',')) {
    const parsed = parsePart(part, bounds, whole);
    for (const v of parsed.values) values.add(v);
    star ||= parsed.star;
  }
  return { values, star };
}

function fieldSchedule(spec: string, whole: string): CronSchedule {
  const parts = spec.split(/\s+/);
  if (parts.length !== 5) {
    throw new CronSyntaxError(`"${whole}" has ${String(parts.length)} fields; want 5 (minute hour day-of-month month day-of-week)`);
  }
  const [minute, hour, dom, month, dow] = parts.map((text, i) =>
    parseField(text, [minuteField, hourField, domField, monthField, dowField][i] ?? minuteField, whole),
  ) as [Field, Field, Field, Field, Field];

  // As in Vixie cron: when either day field is a bare `*`, a day must match both; otherwise either will do.
  const dayMatches = (d: Date): boolean => {
    const byDate = dom.values.has(d.getUTCDate());
    const byWeekday = dow.values.has(d.getUTCDay());
    return dom.star || dow.star ? byDate && byWeekday : byDate || byWeekday;
  };

  return {
    firesOnAdd: false,
    next(after) {
      let t = Math.floor(after.getTime() / minuteMs) * minuteMs + minuteMs;
      const lastYear = after.getUTCFullYear() + horizonYears;
      for (;;) {
        const d = new Date(t);
        const [y, mo, day, h] = [d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), d.getUTCHours()];
        if (y > lastYear) return undefined;
        if (!month.values.has(mo + 1)) t = Date.UTC(y, mo + 1, 1);
        else if (!dayMatches(d)) t = Date.UTC(y, mo, day + 1);
        else if (!hour.values.has(h)) t = Date.UTC(y, mo, day, h + 1);
        else if (!minute.values.has(d.getUTCMinutes())) t += minuteMs;
        else return d;
      }
    },
  };
}

function everySchedule(durationText: string, whole: string): CronSchedule {
  const ms = parseGoDuration(durationText);
  if (ms === undefined) throw new CronSyntaxError(`invalid duration "${durationText}" in "${whole}"`);
  // Whole seconds, at least one, as the cron library Prow uses rounds them.
  const delay = Math.max(1000, ms - (ms % 1000));
  return {
    firesOnAdd: true,
    next: (after) => new Date(Math.floor(after.getTime() / 1000) * 1000 + delay),
  };
}

/**
 * Parses a periodic's `cron` as Prow's horologium reads it: five fields (minute, hour, day of month, month, day
 * of week) with `*`, `?`, lists, ranges, steps and month and day names; or `@yearly`, `@annually`, `@monthly`,
 * `@weekly`, `@daily`, `@midnight`, `@hourly`, `@every <Go duration>`. Always UTC: horologium adds `TZ=UTC` to
 * every schedule, so a `TZ=` or `CRON_TZ=` prefix of the user's is refused here as it fails there.
 */
export function parseCron(expression: string): CronSchedule {
  const spec = expression.trim();
  if (/^(CRON_)?TZ=/.test(spec)) {
    throw new CronSyntaxError(`"${expression}": time zone prefixes are not supported; Prow runs every cron in UTC`);
  }
  if (spec.startsWith('@every ')) return everySchedule(spec.slice('@every '.length).trim(), expression);
  if (spec.startsWith('@')) {
    const fields = descriptors[spec];
    if (fields === undefined) throw new CronSyntaxError(`unknown cron descriptor "${spec}"`);
    return fieldSchedule(fields, expression);
  }
  return fieldSchedule(spec, expression);
}
