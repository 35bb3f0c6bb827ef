import { redisKey } from '../../lib/queue/names.ts';
import type { EventJob } from './event-job.ts';

/** The Redis stream that holds accepted deliveries until a drainer has moved them into the `events` queue. */
export function intakeStreamKey(prefix: string): string {
  return redisKey(prefix, 'hook', 'intake');
}

/** The consumer group every drainer of the intake stream joins. */
export const intakeGroup = 'drainers';

/** Marks a delivery as moved (value: the stream entry that moved it) so redeliveries are dropped. */
export function seenKey(prefix: string, delivery: string): string {
  return redisKey(prefix, 'hook', 'seen', delivery);
}

/**
 * The stream entry's fields for a job, flat as XADD takes them. `raw`, the body's bytes when the caller still
 * has them, is written as it is rather than encoded again from the string.
 */
export function encodeEntry(job: EventJob, raw?: Buffer): (string | Buffer)[] {
  return ['event', job.event, 'delivery', job.delivery, 'body', raw ?? job.body, 'headers', JSON.stringify(job.headers), 'receivedAt', String(job.receivedAt)];
}

/** The job a stream entry holds, or undefined when the entry is not one intake wrote. */
export function decodeEntry(fields: readonly string[]): EventJob | undefined {
  const f = new Map<string, string>();
  for (let i = 0; i + 1 < fields.length; i += 2) f.set(fields[i] ?? '', fields[i + 1] ?? '');
  const event = f.get('event');
  const delivery = f.get('delivery');
  const body = f.get('body');
  const receivedAt = Number(f.get('receivedAt'));
  if (event === undefined || delivery === undefined || body === undefined || !Number.isFinite(receivedAt)) return undefined;
  let headers: Record<string, string>;
  try {
    headers = JSON.parse(f.get('headers') ?? '{}') as Record<string, string>;
  } catch {
    return undefined;
  }
  return { event, delivery, body, headers, receivedAt };
}
