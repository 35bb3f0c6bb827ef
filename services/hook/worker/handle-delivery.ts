import { UnrecoverableError, Worker, type Job, type Queue } from 'bullmq';
import type { EventJob } from '../event-job.ts';
import { classifyError, describeError, type FailureKind } from './classify-error.ts';
import type { DeliveryLedger, StepFailure } from './delivery-ledger.ts';
import { planSteps, type PlanDeps, type Step } from './plan-steps.ts';
import type { AttemptOutcome, WorkerMetrics } from './worker-metrics.ts';

/** What a completed delivery's job returns (kept by BullMQ with the job): the steps run now and those done before. */
export interface DeliveryResult {
  ran: string[];
  skipped: string[];
}

/** Everything one attempt needs besides the job. */
export interface HandleDeps extends Omit<PlanDeps, 'config'> {
  /** The live configuration, read once per attempt. */
  config: () => PlanDeps['config'];
  ledger: DeliveryLedger;
  metrics: WorkerMetrics;
  /** The queue, to pause it while GitHub's rate limit lasts. */
  queue: Pick<Queue, 'rateLimit'>;
  /** A step still running after this long counts as failed (and is retried); 5 minutes by default. */
  stepTimeoutMs?: number | undefined;
}

interface Failure {
  step: Step;
  kind: FailureKind;
  reason: string;
}

function parseJob(data: EventJob): Record<string, unknown> {
  if (typeof data.body !== 'string' || typeof data.event !== 'string' || typeof data.delivery !== 'string') {
    throw new UnrecoverableError('the job is not an EventJob (event, delivery and body are required)');
  }
  let payload: unknown;
  try {
    payload = JSON.parse(data.body);
  } catch (err) {
    throw new UnrecoverableError(`the body is not JSON: ${(err as Error).message}`);
  }
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) throw new UnrecoverableError('the body is not a JSON object');
  return payload as Record<string, unknown>;
}

async function withTimeout(run: () => Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new Error(`still running after ${ms} ms`));
    }, ms);
  });
  try {
    await Promise.race([run(), expired]);
  } finally {
    clearTimeout(timer);
  }
}

function summary(failures: readonly Failure[], total: number): string {
  const each = failures.map((f) => `${f.step.id} (${f.kind.kind}: ${f.reason})`).join('; ');
  return `${failures.length} of ${total} steps failed: ${each}`;
}

/**
 * One attempt at one delivery: plans its steps, skips those the ledger has as completed (or as failed for
 * good), runs the rest side by side so that none stops another, records each outcome, and tells BullMQ what
 * to do next by what it throws: a plain Error to retry with backoff, RateLimitError after pausing the queue
 * for GitHub's rate limit, UnrecoverableError when every remaining failure would fail again.
 */
export async function handleDelivery(job: Job<EventJob>, deps: HandleDeps): Promise<DeliveryResult> {
  const data = job.data;
  const payload = parseJob(data);
  const config = deps.config();
  const steps = planSteps({ event: data.event, delivery: data.delivery, payload, body: data.body, headers: data.headers }, { ...deps, config });
  const record = await deps.ledger.read(data.delivery);
  const skipped = steps.filter((s) => record.done.has(s.id)).map((s) => s.id);
  const givenUp = steps.filter((s) => !record.done.has(s.id) && record.failures.get(s.id)?.kind === 'permanent');
  const toRun = steps.filter((s) => !record.done.has(s.id) && !givenUp.includes(s));
  const timeoutMs = deps.stepTimeoutMs ?? 5 * 60_000;
  const log = deps.logger.child({ delivery: data.delivery, event: data.event });

  const settled = await Promise.all(
    toRun.map(async (step): Promise<Failure | undefined> => {
      const stop = deps.metrics.pluginDuration.startTimer({ plugin: step.plugin, event_type: data.event });
      try {
        try {
          await withTimeout(() => step.run(), timeoutMs);
        } finally {
          stop();
        }
        await deps.ledger.markDone(data.delivery, step.id);
        return undefined;
      } catch (err) {
        deps.metrics.pluginErrors.inc({ plugin: step.plugin });
        const kind = classifyError(err);
        const reason = describeError(err);
        log.error({ plugin: step.plugin, handler: step.handler, kind: kind.kind, err }, `plugin ${step.plugin} failed on ${step.handler}: ${reason}`);
        return { step, kind, reason };
      }
    }),
  );
  const failures = settled.filter((f) => f !== undefined);
  const now = Date.now();
  await deps.ledger.recordFailures(
    data.delivery,
    new Map(failures.map((f): [string, StepFailure] => [f.step.id, { plugin: f.step.plugin, handler: f.step.handler, kind: f.kind.kind, reason: f.reason, at: now }])),
  );

  const count = (outcome: AttemptOutcome): void => {
    deps.metrics.eventsHandled.inc({ event_type: data.event, outcome });
  };
  if (failures.length === 0 && givenUp.length === 0) {
    count('completed');
    return { ran: toRun.map((s) => s.id), skipped };
  }
  const leftover = [
    ...failures,
    ...givenUp.map((step): Failure => ({ step, kind: { kind: 'permanent' }, reason: record.failures.get(step.id)?.reason ?? 'failed before' })),
  ];
  const why = summary(leftover, steps.length);
  const delays = failures.flatMap((f) => (f.kind.kind === 'rate-limit' ? [f.kind.delayMs] : []));
  if (delays.length > 0) {
    const delayMs = Math.max(...delays);
    log.warn({ delayMs }, `GitHub rate limit: pausing the events queue for ${delayMs} ms; ${why}`);
    count('rate_limited');
    await deps.queue.rateLimit(delayMs);
    throw Worker.RateLimitError();
  }
  if (failures.some((f) => f.kind.kind === 'retry')) {
    const last = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    count(last ? 'failed' : 'retrying');
    throw new Error(why);
  }
  count('failed');
  throw new UnrecoverableError(why);
}
