import type { Job, Queue } from 'bullmq';
import { ProwError } from '../../../lib/errors.ts';
import { eventJobId } from '../event-job-options.ts';
import type { EventJob } from '../event-job.ts';
import type { DeliveryLedger, StepFailure } from './delivery-ledger.ts';

/** A delivery in the failed set, as `prow events failed` prints it. */
export interface FailedDelivery {
  /** X-GitHub-Delivery. */
  delivery: string;
  /** The BullMQ job id: the delivery itself, unless BullMQ could not take it as an id. */
  jobId: string | undefined;
  event: string;
  failedReason: string;
  attempts: number;
  /** When it failed for good, ms since the epoch. */
  failedAt: number | undefined;
  /** The plugins with a step that has not completed. */
  pluginsNotDone: string[];
  failures: StepFailure[];
}

/** The newest `limit` deliveries that exhausted their attempts or failed for good, newest first. */
export async function failedDeliveries(queue: Queue<EventJob>, ledger: DeliveryLedger, limit: number): Promise<FailedDelivery[]> {
  const jobs = await queue.getFailed(0, limit - 1);
  return Promise.all(
    jobs.map(async (job): Promise<FailedDelivery> => {
      const delivery = job.data.delivery;
      const { failures } = await ledger.read(delivery);
      const list = [...failures.values()];
      return {
        delivery,
        jobId: job.id,
        event: job.name,
        failedReason: job.failedReason,
        attempts: job.attemptsMade,
        failedAt: job.finishedOn,
        pluginsNotDone: [...new Set(list.map((f) => f.plugin))].sort(),
        failures: list,
      };
    }),
  );
}

async function retryJob(job: Job<EventJob>, ledger: DeliveryLedger): Promise<void> {
  await ledger.clearFailures(job.data.delivery);
  await job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
}

/**
 * Puts a failed delivery back in the queue with a fresh attempt budget. Its failures are forgotten so
 * that steps that failed for good (a 422, a missing label) run again too; completed steps still do not.
 */
export async function retryDelivery(queue: Queue<EventJob>, ledger: DeliveryLedger, delivery: string): Promise<void> {
  const job = (await queue.getJob(eventJobId(delivery))) ?? (await queue.getJob(delivery));
  if (job === undefined) throw new ProwError('PROW_ERR_EVENT_NOT_FOUND', delivery);
  const state = await job.getState();
  if (state !== 'failed') throw new ProwError('PROW_ERR_EVENT_NOT_FAILED', delivery, state);
  await retryJob(job, ledger);
}

/** Retries every delivery in the failed set as it is now; resolves to their delivery ids. */
export async function retryAllFailed(queue: Queue<EventJob>, ledger: DeliveryLedger): Promise<string[]> {
  const jobs = await queue.getFailed(0, -1);
  for (const job of jobs) await retryJob(job, ledger);
  return jobs.map((job) => job.data.delivery);
}
