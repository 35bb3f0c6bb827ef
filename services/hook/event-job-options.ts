import { createHash } from 'node:crypto';
import type { JobsOptions } from 'bullmq';

/**
 * How a delivery is kept in the `events` queue: retried with exponential backoff (the worker decides what is
 * worth retrying), kept a day after completion for inspection, and kept 30 days in the failed set for
 * `prow events failed` and `prow events retry`.
 */
export const eventJobOptions = {
  attempts: 8,
  backoff: { type: 'exponential', delay: 2_000 },
  removeOnComplete: { age: 24 * 3600, count: 100_000 },
  removeOnFail: { age: 30 * 24 * 3600 },
} as const satisfies JobsOptions;

/**
 * The BullMQ job id of a delivery: the delivery itself (GitHub's are GUIDs), unless BullMQ would refuse it
 * (it refuses ids with ':' and whole numbers) or it is unreasonably long; then a stable hash of it.
 */
export function eventJobId(delivery: string): string {
  if (/^[A-Za-z0-9._-]{1,128}$/.test(delivery) && !/^-?\d+$/.test(delivery)) return delivery;
  return `sha256-${createHash('sha256').update(delivery).digest('hex').slice(0, 40)}`;
}
