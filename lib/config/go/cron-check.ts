import { CronExpressionParser } from 'cron-parser';
import { parseGoDuration } from './go-duration.ts';

const descriptors = new Set(['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly']);

/** Why a periodic's `cron` would be refused (Prow takes standard 5-field cron and the @ descriptors), or undefined. */
export function cronError(expression: string): string | undefined {
  const spec = expression.trim().replace(/^(CRON_)?TZ=\S+\s+/, '');
  if (spec.startsWith('@every ')) {
    return parseGoDuration(spec.slice('@every '.length).trim()) === undefined ? `invalid duration in cron "${expression}"` : undefined;
  }
  if (spec.startsWith('@')) return descriptors.has(spec) ? undefined : `unknown cron descriptor "${spec}"`;
  const fields = spec.split(/\s+/).length;
  if (fields !== 5) return `invalid cron "${expression}": want 5 fields (minute hour day-of-month month day-of-week), got ${fields}`;
  try {
    CronExpressionParser.parse(spec);
    return undefined;
  } catch (err) {
    return `invalid cron "${expression}": ${(err as Error).message}`;
  }
}
